"""Every write of decision support, one module per part of the work:

* ``studies`` — studies and their versions, sections, and the rows of the sections
  (scope, costs, milestones, resources, social benefits, readiness answers, strategy);
* ``appraisal`` — alternatives, their cash flows and appraisal figures, criteria and
  scores;
* ``reviews`` — expert reviewers: assignment with conflict-of-interest checks, scores
  and verdicts;
* ``outcome`` — the PMO's recommendation, the decision pack, the decision record and
  its conditions;
* ``config`` — the PMO's appraisal settings and social-benefit criteria.

Functions are keyword-only, validate with ``full_clean()``, run in a transaction and
record who made the change (django-simple-history). Views check permissions; these
functions check the state of the study (a submitted study is no longer edited).
"""
