"""Reads of the knowledge area that other apps and the pages use."""

from knowledge.selectors.contributions import contribution_counts

__all__ = ["contribution_counts"]
