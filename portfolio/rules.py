"""Permission predicates of strategic portfolio management (django-rules).

Strategy is public inside the company: everyone reads themes, objectives and the
alignment; the PMO maintains them. Portfolios, scenarios and the watch list are for
the PMO and executives; executives also compare business drivers (they are the
evaluators whose judgements weigh most) and decide PMO recommendations.
"""

from __future__ import annotations

import rules

from pmo.core.rules import is_authenticated, is_executive, is_pmo

rules.add_perm("portfolio.view_strategy", is_authenticated)
rules.add_perm("portfolio.change_strategy", is_pmo)
rules.add_perm("portfolio.import_objectives", is_pmo)
rules.add_perm("portfolio.view_portfolio", is_pmo | is_executive)
rules.add_perm("portfolio.change_portfolio", is_pmo)
rules.add_perm("portfolio.compare_drivers", is_pmo | is_executive)
rules.add_perm("portfolio.rate_candidates", is_pmo)
rules.add_perm("portfolio.run_scenario", is_pmo)
rules.add_perm("portfolio.commit_scenario", is_pmo)
rules.add_perm("portfolio.view_capacity", is_pmo | is_executive)
rules.add_perm("portfolio.view_monitoring", is_pmo | is_executive)
rules.add_perm("portfolio.change_monitoring", is_pmo)
rules.add_perm("portfolio.propose_recommendation", is_pmo)
rules.add_perm("portfolio.decide_recommendation", is_pmo | is_executive)
