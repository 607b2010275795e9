"""The Korean catalogue: complete, placeholders kept, compiled, in step with the code, natural Korean,
and the glossary's terms used (tracer/locale/glossary.toml)."""

from __future__ import annotations

import re
import tomllib
from functools import cache

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from tracer.catalogue import extract, mo_bytes, po_path
from tracer.i18n import LOCALE_FOLDER

PO = po_path("ko")
BRACES = re.compile(r"(?<!\{)\{(\w*(?:![rsa])?(?::[^{}]*)?)\}")  # {name}, {path!r}, {value:g}; not {{
PERCENT = re.compile(r"%(?:\((\w+)\))?[sdr]")
# A particle whose form follows the pronunciation of the word before it (은/는, 이/가, 을/를, 와/과,
# 으로/로), written right after a placeholder: "{value}를" reads wrong for half the values.
PARTICLE = re.compile(r"(?:\}|%s|%\(\w+\)[sdr])(?:은|는|이|가|을|를|와|과|으로|로)[의는도서써만]?(?![가-힣])")
# The lazy way out, both forms in brackets: "을(를)", "(으)로".
BRACKETED = re.compile(r"[은는이가을를와과]\([은는이가을를와과]\)|\(으\)로")
# What a glossary check skips: --options, {placeholders}, `code`, "quoted", [[tables]], snake_case
# and file names, a work's title (three or more capitalised words).
CODE = re.compile(
    r"--[\w-]+|\{\w*\}|`[^`]*`|\"[^\"]*\"|\[\[\w+\]\]|\S*[_./]\S*|(?:\b[A-Z]\w*\W+(?:by\W+)?){3,}"
)


@cache
def catalogue() -> Catalog:
    with PO.open("rb") as stream:
        return read_po(stream, locale="ko", domain="tracer")


def pairs() -> list[tuple[str, str]]:
    """Return (English, Korean) for every message; a plural message gives one pair per English form."""
    found = []
    for message in catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found += [(english, strings[0]) for english in ids]
    return found


def test_every_message_has_a_korean_translation():
    missing = [english for english, korean in pairs() if not korean]
    fuzzy = [message.id for message in catalogue() if message.id and message.fuzzy]
    assert not missing, f"untranslated: {missing}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


@pytest.mark.parametrize("english, korean", pairs(), ids=lambda text: text[:40])
def test_a_translation_keeps_every_placeholder(english, korean):
    assert sorted(BRACES.findall(korean)) == sorted(BRACES.findall(english))
    assert sorted(PERCENT.findall(korean)) == sorted(PERCENT.findall(english))


def test_the_committed_mo_is_the_committed_po_compiled():
    compiled = (LOCALE_FOLDER / "ko" / "LC_MESSAGES" / "tracer.mo").read_bytes()
    assert compiled == mo_bytes(PO.read_bytes(), "ko"), "run: python -m tracer.catalogue"


def test_the_catalogue_holds_exactly_the_messages_of_the_code():
    code = {message.id for message in extract() if message.id}
    translated = {message.id for message in catalogue() if message.id}
    assert code - translated == set(), "new messages: run python -m tracer.catalogue and translate them"
    assert translated - code == set(), "messages no longer used: run python -m tracer.catalogue"


def test_no_particle_that_depends_on_pronunciation_follows_a_placeholder():
    assert (
        PARTICLE.search("{value}를 씁니다") and PARTICLE.search("{eta}로서") and BRACKETED.search("값을(를)")
    )
    assert not PARTICLE.search("{value}의 값") and not PARTICLE.search("{value}이어서")
    for english, korean in pairs():
        assert not PARTICLE.search(korean), f"{english!r}: {korean!r}"
        assert not BRACKETED.search(korean), f"{english!r}: {korean!r}"


def glossary() -> list[dict]:
    return tomllib.loads((LOCALE_FOLDER / "glossary.toml").read_text(encoding="utf-8"))["term"]


def glossary_misses(english: str, korean: str) -> list[str]:
    """Return the glossary terms in an English message whose Korean the translation lacks."""
    misses = []
    rest = re.sub(
        r"--[\w-]+|\{\w*\}|`[^`]*`|\"[^\"]*\"|\[\[\w+\]\]|\S*[_./]\S*|(?:\b[A-Z]\w*\W+(?:by\W+)?){3,}",
        " ",
        english,
    )
    for term in sorted(glossary(), key=lambda t: -len(t["en"])):
        pattern = re.compile(rf"\b{re.escape(term['en'])}(?:s|es)?\b", re.IGNORECASE)
        if pattern.search(rest):
            rest = pattern.sub(" ", rest)
            if not any(form in korean for form in [term["ko"], *term.get("also", [])]):
                misses.append(f"{term['en']} → {term['ko']}")
    return misses


def test_the_glossary_names_each_term_once_with_its_source():
    terms = glossary()
    assert len({t["en"].lower() for t in terms}) == len(terms)
    assert all(t["ko"] and t["source"] for t in terms)
    assert glossary_misses("the learning rate", "학습 속도") == ["learning rate → 학습률"]
    assert glossary_misses("each weighted input", "각 가중 입력") == []


@pytest.mark.parametrize("english, korean", pairs(), ids=lambda text: text[:40])
def test_a_translation_uses_the_glossary_terms(english, korean):
    assert glossary_misses(english, korean) == []
