"""The zh-hans catalogue covers every translatable string of the code, none fuzzy."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "check_translations.py"


def _checker():
    spec = importlib.util.spec_from_file_location("check_translations", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_zh_hans_catalogue_is_complete():
    assert _checker().problems() == []


def test_checker_reports_untranslated_and_fuzzy_entries():
    sample = (
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        'msgid "Projects"\nmsgstr "项目"\n\n'
        'msgid "Budget"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Health"\nmsgstr "健康"\n\n'
        'msgid "%(n)s unit"\nmsgid_plural "%(n)s units"\nmsgstr[0] ""\n'
    )
    assert _checker().untranslated_entries(sample) == [
        "untranslated: Budget",
        "fuzzy: Health",
        "untranslated: %(n)s unit",
    ]
