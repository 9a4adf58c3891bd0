"""The demo delivery log: two earlier periods per subscription, idempotent."""

import datetime as dt
import random
from collections import Counter
from types import SimpleNamespace

from pmo.reports import demo_log, services
from pmo.reports.models import Delivery


def test_the_demo_log_has_two_earlier_periods_and_is_idempotent(
    pmo_user, executive_user, member_user, english
):
    services.subscription_save(
        actor=pmo_user,
        name="周报",
        kind="project_register",
        language="zh-hans",
        frequency="weekly",
        weekday=0,
        hour=8,
        users=[pmo_user, executive_user, member_user],
    )
    demo = SimpleNamespace(
        today=dt.date(2026, 3, 4), rng=lambda key: random.Random(key), created=Counter()
    )
    demo_log.seed(demo)
    demo_log.seed(demo)
    rows = Delivery.objects.all()
    assert demo.created["report deliveries"] == rows.count() == 6
    assert sorted({r.period_start for r in rows}) == [dt.date(2026, 2, 16), dt.date(2026, 2, 23)]
    statuses = Counter(rows.values_list("status", flat=True))
    assert statuses == {"sent": 2, "skipped": 2, "failed": 1, "unknown": 1}
    unknown = rows.get(status="unknown")
    # The reason is written in the site's language (Chinese by default).
    assert unknown.can_retry
    assert "may or may not have been" in unknown.error or "可能已送达" in unknown.error
    skipped = rows.filter(status="skipped").first()
    assert (skipped.email, skipped.skip_reason) == ("member@example.com", "not_allowed")
