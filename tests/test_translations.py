"""The English catalogue: complete, well-formed, and used by the pages after the language switch.

The msgids are the Chinese wording in the code, so a page that forgets a string stays Chinese in
English; these tests catch that from both ends: every string in the code has an entry, and the
main pages show English words and not the Chinese ones once a user picks English.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import chdir
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from targets.models import Bureau, Plan, Target

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
# The folders skipped when the catalogue is made (the --ignore flags in the message below).
IGNORED = {".venv", ".git", "tests", "fixtures", "artifacts", "staticfiles", "node_modules", "locale", "__pycache__"}
SOURCE_SUFFIXES = {".py", ".html", ".txt"}  # makemessages' defaults for the "django" domain
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%%|%[sdif]|\{[^{}]*\}")


def read_po(path: Path) -> list[polib.POEntry]:
    """The live entries of a .po file: polib leaves out the header; obsolete (#~) entries are
    dropped here. Checked against the compiled .mo below."""
    return [entry for entry in polib.pofile(str(path), encoding="utf-8") if not entry.obsolete]


def translations(entry: polib.POEntry) -> dict[int, str]:
    """The msgstr by plural index; 0 for a plain entry."""
    return dict(entry.msgstr_plural) if entry.msgid_plural else {0: entry.msgstr}


def key(entry: polib.POEntry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.fixture(scope="session")
def compiled_catalogue() -> Path:
    """Compile the catalogue when the .mo is missing or older than the .po (a fresh clone), so
    the page tests read what the .po says."""
    if not MO_FILE.exists() or MO_FILE.stat().st_mtime < PO_FILE.stat().st_mtime:
        # From an empty folder: compilemessages also walks the working directory for locale
        # folders, and must not compile the virtualenv's catalogues.
        with chdir(MO_FILE.parent):
            call_command("compilemessages", locale=["en"], stdout=StringIO())
        # Catalogues already loaded by this process predate the .mo; changing LOCALE_PATHS makes
        # Django drop its translation caches.
        with override_settings(LOCALE_PATHS=list(settings.LOCALE_PATHS)):
            pass
    return MO_FILE


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    """An English request leaves English active in the test thread (LocaleMiddleware does not
    reset it), and later tests in the run expect the default language."""
    yield
    translation.deactivate()


@pytest.fixture(scope="module")
def entries() -> list[polib.POEntry]:
    return read_po(PO_FILE)


def test_header_declares_english_plural_forms() -> None:
    header = PO_FILE.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in header
    assert '"Language: en\\n"' in header
    assert "#, fuzzy" not in header


def test_every_entry_is_translated_and_keeps_its_placeholders(entries: list[polib.POEntry]) -> None:
    assert len(entries) > 200
    problems = []
    for entry in entries:
        where = f"django.po:{entry.linenum} {entry.msgid!r}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy")
        msgstr = translations(entry)
        expected = [0, 1] if entry.msgid_plural else [0]
        if sorted(msgstr) != expected or not all(msgstr[i].strip() for i in expected):
            problems.append(f"{where}: empty or missing msgstr")
            continue
        wanted = placeholders(entry.msgid)
        for index, text in msgstr.items():
            # A plural's singular may leave out the count ("one problem"); the names must stay.
            got = placeholders(text)
            if got != wanted and not (entry.msgid_plural and index == 0 and set(got) <= set(wanted)):
                problems.append(f"{where}: placeholders {wanted} became {got} in {text!r}")
        if any(re.search(r"[\u4e00-\u9fff]", text) for text in msgstr.values()):
            problems.append(f"{where}: the English still holds Chinese")
    assert not problems, "\n".join(problems)


def test_compiled_catalogue_matches_the_po(entries: list[polib.POEntry], compiled_catalogue: Path) -> None:
    """What msgfmt compiled is what polib read."""
    with compiled_catalogue.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for entry in entries:
        if entry.msgid_plural:
            for n, index in ((1, 0), (2, 1)):
                got = (
                    catalogue.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                    if entry.msgctxt is not None
                    else catalogue.ngettext(entry.msgid, entry.msgid_plural, n)
                )
                assert got == translations(entry)[index], entry.msgid
        else:
            got = (
                catalogue.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt is not None
                else catalogue.gettext(entry.msgid)
            )
            assert got == entry.msgstr, entry.msgid


def _source_files(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [name for name in dirnames if name not in IGNORED and not name.startswith(".")]
        for name in filenames:
            if Path(name).suffix in SOURCE_SUFFIXES:
                yield Path(dirpath) / name


def test_catalogue_has_every_string_in_the_code(entries: list[polib.POEntry], tmp_path: Path) -> None:
    """makemessages over a copy of the sources, into a scratch catalogue: any msgid it finds
    that the committed catalogue lacks is a string that would show in Chinese on an English page."""
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    for source in _source_files(root):
        destination = copy / source.relative_to(root)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
    with chdir(copy), override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=["en"], verbosity=0, ignore_patterns=sorted(IGNORED))
    found = read_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert len(found) > 200  # the scratch run really read the sources
    committed = {key(entry) for entry in entries}
    missing = [entry.msgid for entry in found if key(entry) not in committed]
    assert not missing, (
        "strings not in locale/en/LC_MESSAGES/django.po; run `python manage.py makemessages -l en "
        "--ignore=.venv --ignore=tests --ignore=fixtures --ignore=artifacts --ignore=staticfiles` "
        "and translate them:\n" + "\n".join(missing)
    )


class _TextNodes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.nodes: set[str] = set()
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._skip += tag in {"script", "style"}

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in {"script", "style"}

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.nodes.add(data.strip())


def text_nodes(html: str) -> set[str]:
    """The page's text, node by node. Interface words are whole nodes (<th>状态</th>), while
    data that happens to contain them (a quoted clause) is a longer node, so looking for whole
    nodes tells the two apart."""
    parser = _TextNodes()
    parser.feed(html)
    return parser.nodes


def _switch(client: Client, language: str, page: str) -> None:
    response = client.post(reverse("set_language"), {"language": language, "next": page})
    assert response.status_code == 302
    assert response["Location"] == page, "the language switch must return to the same page"


def _pages() -> list[tuple[str, list[tuple[str, str]]]]:
    """Each page with interface words (Chinese, English) that are whole text nodes on it."""
    target = Target.objects.filter(plan__city__code="zibo").exclude(kind="qualitative").order_by("pk").first()
    plan = Plan.objects.get(code="zibo-carbon-peaking")
    bureau = Bureau.objects.filter(city__code="zibo", targets__isnull=False, measures__isnull=False).first()
    assert target and bureau
    common = [("退出", "Log out")]
    return [
        (
            reverse("dashboard:home"),
            [("各市目标进展总览", "Progress overview of all cities"), ("逾期任务", "Overdue measures"),
             ("规划文本", "Plan texts"), ("文号", "Document number"), *common],
        ),
        (
            reverse("dashboard:city", args=["zibo"]),
            [("状态汇总", "Status summary"), ("各领域目标状态", "Target status by sector"), ("最新值", "Latest value"),
             ("逾期和即将到期的任务", "Overdue and due-soon measures"), ("筛选", "Filter"), *common],
        ),
        (
            reverse("dashboard:target", args=[target.pk]),
            [("依据", "Basis"), ("规划原文", "Plan text"), ("填报记录", "Entry history"),
             ("目标年预测值", "Projected value in the target year"), ("基准值", "Baseline value"), *common],
        ),
        (
            reverse("dashboard:plan", args=[plan.code]),
            [("条款", "Section"), ("目标年", "Target year"), ("责任单位", "Responsible bureaus"),
             ("原文", "Original text"), *common],
        ),
        (
            reverse("dashboard:bureau", args=[bureau.pk]),
            [("最新值", "Latest value"), ("完成时限", "Deadline"), ("最新进展", "Latest progress"),
             ("指标", "Indicator"), *common],
        ),
        (
            reverse("dashboard:sector", args=["energy"]),
            [("指标", "Indicator"), ("最新值", "Latest value"), ("目标年", "Target year"), *common],
        ),
    ]  # fmt: skip


def _assert_language(html: str, language: str, words: list[tuple[str, str]], page: str) -> None:
    nodes = text_nodes(html)
    assert f'<html lang="{language}">' in html, page
    for chinese, english in words:
        if language == "en":
            assert english in nodes, f"{page}: no {english!r} in English"
            assert chinese not in nodes, f"{page}: {chinese!r} still shown in English"
        else:
            assert chinese in nodes, f"{page}: no {chinese!r} in Chinese"
            assert english not in nodes, f"{page}: {english!r} shown in Chinese"


@pytest.mark.django_db
def test_pages_switch_to_english_and_back(client: Client, four_plans, users, compiled_catalogue: Path) -> None:
    client.force_login(users["leader"])
    for page, words in _pages():
        _assert_language(client.get(page).content.decode(), "zh-hans", words, page)
        _switch(client, "en", page)
        english = client.get(page).content.decode()
        _assert_language(english, "en", words, page)
        assert 'name="language" value="zh-hans"' in english  # the switch offers the way back
        _switch(client, "zh-hans", page)


@pytest.mark.django_db
def test_sector_page_heading_is_english(client: Client, four_plans, users, compiled_catalogue: Path) -> None:
    client.force_login(users["leader"])
    page = reverse("dashboard:sector", args=["energy"])
    _switch(client, "en", page)
    html = client.get(page).content.decode()
    assert "cities compared" in html and "各市对比" not in html


@pytest.mark.django_db
def test_login_page_in_english(client: Client, compiled_catalogue: Path) -> None:
    page = reverse("login")
    words = [("登录", "Log in")]
    html = client.get(page).content.decode()
    _assert_language(html, "zh-hans", words, page)
    assert "用户名" in html  # Django's own catalogue labels the form
    _switch(client, "en", page)
    html = client.get(page).content.decode()
    _assert_language(html, "en", words, page)
    assert "Username" in html and "用户名" not in html and "密码" not in html
