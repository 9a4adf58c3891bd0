"""Every write of delivery assurance goes through these modules.

Functions are named ``<entity>_<verb>``, take keyword arguments only, validate with
``full_clean()``, run in a transaction and return the object. Writes to the core
model (summary, stage, memberships, demand, notifications) go through
``pmo.core.services``; lessons learned through ``knowledge.services``.
"""
