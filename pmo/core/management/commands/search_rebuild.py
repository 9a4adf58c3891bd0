"""Rebuild the global search index (all indexed kinds, or those named)."""

import time

from django.core.management.base import BaseCommand

from pmo.core import search


class Command(BaseCommand):
    help = "Rebuild the global search index from the records of every app."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="Searchable keys (default: all).")

    def handle(self, *args, kinds=(), **options):
        started = time.monotonic()
        total = search.rebuild(list(kinds) or None)
        self.stdout.write(f"{total} entries indexed in {time.monotonic() - started:.1f} s")
