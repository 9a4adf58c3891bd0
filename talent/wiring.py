"""The talent app's entries in the registry: the "Talent" navigation section, the
project tab, the PM-system training tile of the standards adoption page, search of
profiles and courses, demo data."""

from __future__ import annotations


def register() -> None:
    """Filled in as the pages arrive."""
