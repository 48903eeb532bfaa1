"""The Russian and Kazakh catalogues are complete, and a broken one fails here, not on a page."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = [ROOT / "locale" / lang / "LC_MESSAGES" / "django.po" for lang in ("ru", "kk")]
NAMED_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")
FIELD = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) ((?:".*"\n?)+)', re.M)


def msgfmt(path: Path) -> subprocess.CompletedProcess:
    if shutil.which("msgfmt") is None:
        pytest.fail("msgfmt is missing: `make test` installs gettext", pytrace=False)
    return subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )


def entries(path: Path) -> list[dict[str, str]]:
    """Each entry of a .po file as {field: text}, its quoted lines joined."""
    parsed = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        fields = {name: "".join(re.findall(r'"(.*)"', value)) for name, value in FIELD.findall(block + "\n")}
        if fields.get("msgid"):
            parsed.append(fields)
    return parsed


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: p.parts[-3])
def test_catalogue_is_complete_and_valid(catalogue):
    result = msgfmt(catalogue)
    assert result.returncode == 0, result.stderr
    assert "translated messages" in result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_translation_keeps_the_named_placeholders_of_its_message(catalogue):
    wrong = []
    for entry in entries(catalogue):
        source = entry["msgid"] + entry.get("msgid_plural", "")
        expected = set(NAMED_PLACEHOLDER.findall(source))
        for name, text in entry.items():
            if name.startswith("msgstr") and text and set(NAMED_PLACEHOLDER.findall(text)) != expected:
                wrong.append((entry["msgid"][:60], name))
    assert wrong == []


def test_a_broken_placeholder_fails_the_check(tmp_path):
    broken = tmp_path / "django.po"
    broken.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, python-format\nmsgid "Saved as revision %(version)s."\nmsgstr "Сохранено как версия."\n',
        encoding="utf-8",
    )
    assert msgfmt(broken).returncode != 0
