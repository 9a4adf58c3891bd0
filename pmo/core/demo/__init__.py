"""The demo organisation of ``manage.py seed_demo``: a coherent company to try the PMO on.

The data is first *planned* as plain Python from seeded random generators and an
anchor date (``plan``, ``generate``, from the tables of ``catalogue``), then
*applied* through ``pmo.core.services`` (``apply``). Every row is looked up by its
natural key (unit and project codes, employee numbers, user names) before it is
written, and the core data is applied in one transaction, so a second run writes
nothing. Names and codes never depend on the anchor date, only dates do.

``scale.seed_scale`` adds generated units, people and projects with bulk inserts for
benchmarks. Duty apps add demo rows of their own through ``registry.demo_seeders``
(see ``apply.run_app_seeders``).
"""

from pmo.core.demo.apply import DemoData, login_rows, run_app_seeders, seed_core
from pmo.core.demo.catalogue import PASSWORD
from pmo.core.demo.plan import build_plan
from pmo.core.demo.scale import SCALE_PROJECT_PREFIX, seed_scale

__all__ = [
    "PASSWORD",
    "SCALE_PROJECT_PREFIX",
    "DemoData",
    "build_plan",
    "login_rows",
    "run_app_seeders",
    "seed_core",
    "seed_scale",
]
