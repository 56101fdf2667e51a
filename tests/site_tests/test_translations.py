"""The Swedish catalogues are complete, compiled and exactly what makemessages would write."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [
    ROOT / "site" / "locale" / "sv" / "LC_MESSAGES" / "django.po",
    ROOT / "forum_workflows" / "locale" / "sv" / "LC_MESSAGES" / "django.po",
    ROOT / "forms" / "locale" / "sv" / "LC_MESSAGES" / "django.po",
]
SOURCES = ["manage.py", "site", "forum_workflows", "forms", "templates", "scripts"]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.relative_to(ROOT).parts[0])
def test_catalogue_has_no_empty_or_fuzzy_entries(path):
    catalogue = polib.pofile(str(path))
    assert not catalogue.metadata_is_fuzzy
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert [entry.msgid for entry in catalogue.obsolete_entries()] == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.relative_to(ROOT).parts[0])
def test_compiled_catalogue_matches_its_source(path):
    source = {entry.msgid: entry.msgstr for entry in polib.pofile(str(path)) if entry.msgid}
    compiled = {
        entry.msgid: entry.msgstr
        for entry in polib.mofile(str(path.with_suffix(".mo")))
        if entry.msgid
    }
    assert compiled == source


def _without_creation_date(text):
    return "\n".join(line for line in text.splitlines() if "POT-Creation-Date" not in line)


def test_makemessages_would_not_change_any_catalogue(tmp_path):
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    arguments = (ROOT / "scripts" / "makemessages.args").read_text().split()
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", *arguments],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for path in CATALOGUES:
        fresh = tmp_path / path.relative_to(ROOT)
        assert _without_creation_date(fresh.read_text()) == _without_creation_date(
            path.read_text()
        ), f"{path.relative_to(ROOT)} is out of date: run scripts/messages"
