"""The 繁體 and English catalogues hold every string marked for translation (issue 17.1).

makemessages runs on a copy of locale/ beside links to the source, so the check sees what a
developer's `makemessages` would add without touching the working tree: a newly marked string
without a translation, or a changed one left fuzzy, fails here and in `make lint`.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "zh_Hant")
NOT_SOURCE = {"locale", ".venv", "node_modules", "var", ".git"}

pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext not installed")


def _statistics(po: Path) -> str:
    done = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
    )
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory) -> Path:
    """A copy of locale/ after makemessages over the project's source."""
    tree = tmp_path_factory.mktemp("messages")
    for entry in ROOT.iterdir():
        if entry.name not in NOT_SOURCE and not entry.name.startswith("."):
            (tree / entry.name).symlink_to(entry)
    for language in LANGUAGES:
        shutil.copytree(ROOT / "locale" / language, tree / "locale" / language)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "makemessages", "--symlinks", "--no-obsolete"]
        + [f"--locale={language}" for language in LANGUAGES]
        + ["--ignore=.venv", "--ignore=node_modules"],
        cwd=tree,
        check=True,
        capture_output=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "HOME": str(tree)},
    )
    return tree / "locale"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_catalogue_is_complete(language):
    statistics = _statistics(ROOT / "locale" / language / "LC_MESSAGES" / "django.po")

    assert "translated messages" in statistics
    assert "untranslated" not in statistics and "fuzzy" not in statistics, statistics


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_has_a_translation(fresh_catalogues, language):
    statistics = _statistics(fresh_catalogues / language / "LC_MESSAGES" / "django.po")

    assert "translated messages" in statistics
    assert "untranslated" not in statistics and "fuzzy" not in statistics, (
        f"{statistics}: run `manage.py makemessages -l en -l zh_Hant` and translate the new "
        f"strings in locale/{language}/LC_MESSAGES/django.po"
    )
