"""The message catalogues (grader/locale/<lang>/LC_MESSAGES/messages.po): complete in every
language, the same placeholders, every key used in the code present, Japanese typography."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from grader.cli import main
from grader.clihelp import help_keys
from grader.curves import KINDS
from grader.messages import LOCALE, catalogue, languages, parse_po, text

GRADER = Path(__file__).resolve().parent.parent / "grader"
LANGS = languages()

# Keys built at run time from a prefix and a value, with every value the code can give.
DYNAMIC = {
    "answer_hint_": ["choice", "multiple", "ordering", "numeric", "truefalse", "short"],
    "note_": ["chosen", "right", "missed", "extra"],
    "state_": ["new", "started", "done"],
    "status_": ["unit", "title", "state", "detail"],
    "grade_": ["check", "points", "message"],
    "review_": ["none", "next", "due", "more", "answer_with", "done"],
    "stats_": ["lesson", "tag", "exercise", "attempts", "best"],
    "list_": ["or", "comma", "comma_or", "semicolon"],  # messages.one_of
    "mistake_wrong_count_": ["one", "two", "three", "many"],  # English plurals
    "fit_curve_": sorted(set(KINDS)),  # the probe curves for own callbacks (grader/curves.py)
}
# Where a key is named: (pattern, prefix added to what it finds, also in files that do not
# import grader.messages).
USES = [
    (re.compile(r'\btext\(\s*[^,]+?,\s*"(\w+)"'), "", False),
    (re.compile(r'\b_t\(\s*[\w.]+,\s*"(\w+)"'), "review_", False),  # learn review's texts
    (re.compile(r'"(stats_\w+)"'), "", False),  # the column titles of learn stats
    (re.compile(r'"(mistake_\w+)"'), "", False),  # the tables of classic mistakes
    (re.compile(r'"(click_\w+)"'), "", False),  # click's own words (grader/clierrors.py)
    (re.compile(r'"(fit_unsupported_\w+)"'), "", False),  # what a fit call uses (grading.py)
    (re.compile(r'\.problem\(\s*[^,]+,\s*"(\w+)"'), "", False),  # a class's folder
    (re.compile(r'\bkey = "(\w+)" if [^\n]+? else (?:"(\w+)")?'), "", False),  # a or b
    (re.compile(r'\bkey="(\w+)"'), "", True),  # an error
    (re.compile(r'\b(?:Problem|invalid)\("(\w+)"'), "", True),  # a problem in a course file
    (re.compile(r'\bNotCheckable\(\s*"(\w+)"'), "", True),  # the inspector's, rendered by grading
    (re.compile(r'\bGraderLimit\(\s*"(\w+)"'), "", True),  # a job's limit, rendered by checks.said
    (re.compile(r'"key": "(job_\w+)"'), "", True),  # the same, handed back in a job's report
]


def used_keys() -> set[str]:
    keys = {prefix + value for prefix, values in DYNAMIC.items() for value in values}
    for cmd in (main, *main.commands.values()):  # help texts: by command and option name
        keys |= set(help_keys(cmd).values())
    for path in GRADER.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for pattern, prefix, anywhere in USES:
            if not anywhere and "from grader.messages import" not in source:
                continue
            for found in pattern.findall(source):
                keys |= {prefix + k for k in ([found] if isinstance(found, str) else found) if k}
    return keys


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_the_course_languages_have_catalogues() -> None:
    assert {"en", "ja"} <= set(LANGS)


@pytest.mark.parametrize("lang", LANGS)
def test_every_key_in_every_language(lang: str) -> None:
    assert sorted(catalogue(lang)) == sorted(catalogue("en"))


@pytest.mark.parametrize("lang", LANGS)
def test_same_placeholders_as_english(lang: str) -> None:
    differ = {
        key: (fields(catalogue("en")[key]), fields(value))
        for key, value in catalogue(lang).items()
        if fields(value) != fields(catalogue("en")[key])
    }
    assert differ == {}


@pytest.mark.parametrize("lang", LANGS)
def test_babel_reads_the_same_catalogue(lang: str) -> None:
    path = LOCALE / lang / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as f:
        po = read_po(f)
    assert [m.id for m in po if m.id and m.fuzzy] == []
    assert {m.id: m.string for m in po if m.id} == catalogue(lang)


def test_every_key_used_in_the_code_is_in_the_catalogue() -> None:
    assert sorted(used_keys() - set(catalogue("en"))) == []


@pytest.mark.parametrize(
    "path", sorted(GRADER.rglob("*.py")), ids=lambda p: str(p.relative_to(GRADER))
)
def test_no_inline_translations_left(path: Path) -> None:
    """Feedback comes from the catalogue: no tr(lang, "english", "japanese") pair in the code."""
    source = path.read_text(encoding="utf-8")
    assert re.findall(r"\btr\(\s*[^,()]+,\s*f?[\"']", source) == []
    assert re.findall(r"^def tr\(", source, re.MULTILINE) == []


def test_every_key_in_the_catalogue_is_used() -> None:
    assert sorted(set(catalogue("en")) - used_keys()) == []


@pytest.mark.parametrize(
    ("source", "parsed"),
    [
        ('msgid "a"\nmsgstr "A"\n', {"a": "A"}),
        ('msgid "a"\nmsgstr ""\n"one\\n"\n"two \\"2\\" \\\\"\n', {"a": 'one\ntwo "2" \\'}),
        ('#, fuzzy\nmsgid "a"\nmsgstr "A"\n\nmsgid "b"\nmsgstr "B"\n', {"b": "B"}),
        ('msgid "a"\nmsgstr ""\n\nmsgid "b"\nmsgstr "B"', {"b": "B"}),
        ('msgid ""\nmsgstr "Language: ja\\n"\n\n#. note\nmsgid "a"\nmsgstr "A"\n', {"a": "A"}),
    ],
    ids=["plain", "continued-and-escaped", "fuzzy-skipped", "untranslated-skipped", "header"],
)
def test_parse_po(source: str, parsed: dict[str, str]) -> None:
    assert parse_po(source) == parsed


def _outside_code(value: str) -> str:
    """The text a reader sees as prose: no `code`, {placeholders}, Markdown link targets, calls
    such as fit() or command lines."""
    # `code`, {fields} (also with !r or a format spec), links
    value = re.sub(r"`[^`]*`|\{\w+(?:![rsa])?(?::[^{}]*)?\}|!?\[[^\]]*\]\([^)]*\)", "", value)
    # code in feedback, fit(), sys.exit(), validation_data=(x, y), and an interval such as (0, 1)
    value = re.sub(r"\b[A-Za-z_][\w.]*=?\([^()]*\)|\(\d[\d., ]*\)", "", value)
    return re.sub(r"learn [\w -]+|--\w+|\.\.\.|-- | --", "", value)


@pytest.mark.parametrize("key", sorted(catalogue("ja")))
def test_japanese_typography_and_terms(key: str) -> None:
    value = catalogue("ja")[key]
    prose = _outside_code(value)
    assert re.findall(r"[()!?]|:(?=\s|$)", prose) == [], "use full-width （）！？："
    assert "デフォルト" not in value, "既定値"
    assert re.findall(r"学習(?!率|曲線|不足)", value.replace("過学習", "")) == [], "訓練"


@pytest.mark.parametrize(
    ("lang", "key", "given", "shown"),
    [
        ("en", "score", {"right": 3, "total": 4}, "Score: 3/4"),
        ("ja", "score", {"right": 3, "total": 4}, "得点：3/4"),
        ("ja", "error", {"message": "x"}, "エラー：x"),
        ("en", "state_started", {}, "started"),
        ("ja", "state_started", {}, "途中"),
    ],
)
def test_text(lang: str, key: str, given: dict[str, object], shown: str) -> None:
    assert text(lang, key, **given) == shown


def test_a_missing_key_is_an_error_not_english() -> None:
    with pytest.raises(KeyError):
        text("ja", "no-such-key")


JA_CONTENT = sorted(
    p.relative_to(GRADER.parent)
    for d in ("lessons/ja", "quizzes/ja")
    for p in (GRADER.parent / d).iterdir()
)


@pytest.mark.parametrize("path", JA_CONTENT, ids=str)
def test_one_term_each_in_the_japanese_course(path: Path) -> None:
    """訓練 for training (学習率, 学習曲線, 過学習 and 学習不足 are other words), 既定値."""
    body = (GRADER.parent / path).read_text(encoding="utf-8")
    lines = body.splitlines()
    found = [
        (n, line)
        for n, line in enumerate(lines, 1)
        if "デフォルト" in line or re.search(r"(?<!過)学習(?!率|曲線|不足)", line)
    ]
    assert found == []


def test_a_third_language_is_only_a_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from grader import messages, settings

    for lang in LANGS:
        shutil.copytree(LOCALE / lang, tmp_path / lang)
    po = (LOCALE / "en" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    (tmp_path / "xx" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "xx" / "LC_MESSAGES" / "messages.po").write_text(
        po.replace('msgstr "Score: {right}/{total}"', 'msgstr "XX {right}/{total}"'),
        encoding="utf-8",
    )
    monkeypatch.setattr(messages, "LOCALE", tmp_path)
    monkeypatch.setenv("LANG", "xx_XX.UTF-8")
    messages.languages.cache_clear()
    messages.catalogue.cache_clear()
    try:
        assert messages.languages() == ("en", "ja", "xx")
        assert text("xx", "score", right=1, total=2) == "XX 1/2"
        assert settings.lang_from_env() == "xx"
    finally:
        messages.languages.cache_clear()
        messages.catalogue.cache_clear()
