"""Background work of strategic portfolio management: thin Celery tasks that call a
service.

``refresh_attention_flags`` runs on the beat schedule "portfolio: attention flags"
(created by migration ``0002_monitoring_flag_schedule`` in django-celery-beat, where
PMO administrators may change it). Running the rules twice changes nothing the second
time, so a task delivered twice is harmless.
"""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from portfolio.services.monitoring import attention_flags_refresh

REFRESH_FLAGS_TASK = "portfolio.tasks.refresh_attention_flags"
TRANSIENT = (OperationalError, InterfaceError)


@shared_task(
    name=REFRESH_FLAGS_TASK,
    autoretry_for=TRANSIENT,
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=3,
    soft_time_limit=300,
    time_limit=360,
    acks_late=True,
)
def refresh_attention_flags() -> dict[str, int]:
    """Raise and clear the attention flags of every strategic project."""
    result = attention_flags_refresh()
    return {
        "checked": result.checked,
        "raised": len(result.raised),
        "cleared": len(result.cleared),
        "updated": result.updated,
    }


# --- scenarios: the efficient frontier of a large portfolio ---------------------------------

FRONTIER_TASK = "portfolio.tasks.scenario_frontier"


@shared_task(
    name=FRONTIER_TASK,
    autoretry_for=TRANSIENT,
    retry_backoff=10,
    max_retries=3,
    soft_time_limit=600,
    time_limit=660,
    acks_late=True,
)
def scenario_frontier(scenario_id: int, token: str) -> bool:
    """Solve the frontier a scenario's solve left pending (claimed by its token)."""
    from portfolio.services.scenarios import scenario_frontier_compute

    return scenario_frontier_compute(scenario_id=scenario_id, token=token)
