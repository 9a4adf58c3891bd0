"""Check that the zh-hans catalogue covers every string of the code.

The code's strings are extracted afresh into a copy of the catalogue (so the working
tree is left alone); any untranslated or fuzzy entry there is reported.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
IGNORE = [".venv/*", "var/*", "static/vendor/*", "node_modules/*", "bench/*", "docs/*"]


def problems() -> list[str]:
    import django
    from django.core.management import call_command
    from django.test.utils import override_settings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "translation-check")
    django.setup()
    os.chdir(BASE)
    with tempfile.TemporaryDirectory() as tmp:
        locale = Path(tmp) / "locale"
        shutil.copytree(BASE / "locale", locale)
        with override_settings(LOCALE_PATHS=[locale]):
            call_command(
                "makemessages",
                locale=["zh_Hans"],
                ignore_patterns=IGNORE,
                no_obsolete=True,
                verbosity=0,
            )
        po = locale / "zh_Hans" / "LC_MESSAGES" / "django.po"
        return untranslated_entries(po.read_text(encoding="utf-8")) + _msgfmt_errors(po)


def _msgfmt_errors(po: Path) -> list[str]:
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "-o", os.devnull, str(po)],  # noqa: S607
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C", "LANG": "C"},
    )
    return [] if result.returncode == 0 else [result.stderr.strip()]


def untranslated_entries(text: str) -> list[str]:
    """Entries (other than the header) that are fuzzy or have an empty translation."""
    found = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.strip().splitlines() if not ln.startswith("#~")]
        if not any(ln.startswith("msgid ") for ln in lines):
            continue
        msgid = _field(lines, "msgid")
        if msgid == "":
            continue
        fuzzy = any(ln.startswith("#,") and "fuzzy" in ln for ln in lines)
        keys = [k for k in ("msgstr", "msgstr[0]") if any(ln.startswith(k + " ") for ln in lines)]
        empty = any(_field(lines, k) == "" for k in keys)
        if fuzzy or empty:
            found.append(("fuzzy: " if fuzzy else "untranslated: ") + msgid)
    return found


def _field(lines: list[str], key: str) -> str:
    value, taking = [], False
    for line in lines:
        if line.startswith(key + " "):
            taking = True
            value.append(line[len(key) + 1 :].strip().strip('"'))
        elif taking and line.startswith('"'):
            value.append(line.strip().strip('"'))
        elif taking:
            break
    return "".join(value)


if __name__ == "__main__":
    sys.path.insert(0, str(BASE))
    issues = problems()
    for issue in issues:
        print(issue)
    print(f"{len(issues)} untranslated or fuzzy zh-hans entries")
    sys.exit(1 if issues else 0)
