"""``manage.py seed_demo``: the demo organisation, its projects and the demo logins.

Safe to run again: whatever already exists (looked up by code, employee number or
user name) is left as it is. ``--scale N`` makes sure N generated projects exist as
well, for benchmarks.
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pmo.core import demo


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today wants a date like 2026-03-16, not {value!r}") from error


class Command(BaseCommand):
    help = (
        "Create the demo company, people, projects and logins (password demo12345). "
        "Existing rows are kept, so running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help=(
                "also make sure N generated projects exist, for benchmarks: with 2N/5 people, "
                "and from the duty apps 20N status reports and 20N lessons"
            ),
        )
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            help="the date the demo is built around (default: today)",
        )
        parser.add_argument(
            "--core-only",
            action="store_true",
            help="skip the demo data of the duty apps",
        )

    def handle(self, *args, scale: int, today: dt.date | None, core_only: bool, **options):
        if scale < 0:
            raise CommandError("--scale cannot be negative.")
        started = time.monotonic()
        verbose = options["verbosity"] >= 1
        log = self.stdout.write if verbose else (lambda _message: None)
        data = demo.seed_core(today=today or timezone.localdate(), log=log)
        data.scale = scale
        self._report("Core demo", data.created, log)
        if scale:
            self._report(f"Scale {scale}", demo.seed_scale(scale, demo=data), log)
        if not core_only:
            for name in demo.run_app_seeders(data):
                log(f"Demo data of {name}: done.")
        log(f"Finished in {time.monotonic() - started:.1f} s.")
        if verbose:
            self._print_logins()

    def _report(self, label: str, created, log) -> None:
        created = +created  # drop the zero counts
        if not created:
            log(f"{label}: already there, nothing to add.")
            return
        parts = ", ".join(f"{count} {what}" for what, count in created.items())
        log(f"{label}: created {parts}.")

    def _print_logins(self) -> None:
        rows = demo.login_rows()
        width = max(len(row[0]) for row in rows) + 2
        roles_width = max(len(row[1]) for row in rows) + 2
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Demo logins (password {demo.PASSWORD}):"))
        for username, groups, person in rows:
            self.stdout.write(f"  {username:<{width}}{groups:<{roles_width}}{person}")
