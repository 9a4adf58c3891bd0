"""The portfolio part of ``seed_demo``: a strategy with objectives, a 2027 investment
portfolio with rated candidates, scenarios, and monitored strategic projects.

Each part seeds its own rows and finds the rows of the parts before it by natural key,
so the whole is idempotent and deterministic (``demo.rng``).
"""

from portfolio.demo import monitoring, prioritisation, scenarios, strategy


def seed(demo) -> None:
    strategy.seed(demo)
    prioritisation.seed(demo)
    scenarios.seed(demo)
    monitoring.seed(demo)
