"""Every write of strategic portfolio management, one module per part of the work:

* ``strategy`` — themes, objectives, objective links, portfolios and candidates;
* ``prioritisation`` — rating scales, business drivers, pairwise comparisons, ratings,
  priority scores and ranks;
* ``scenarios`` — dependencies, scenarios, their settings, solving and committing;
* ``monitoring`` — monitoring plans, attention flags and recommendations.

Import the function from its module (``from portfolio.services.scenarios import
scenario_solve``); the modules do not import each other except through these names.
"""
