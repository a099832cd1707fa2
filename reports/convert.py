"""Simplified → Traditional Chinese for any summary, in the standard character forms of Taiwan
(OpenCC's s2tw: 為, 啟, 裡, 著), which Hong Kong readers accept too.

s2tw converts by phrase (头发 → 頭髮 but 发放 → 發放) and then maps characters to Taiwan's
standard forms. It deliberately is not s2twp, which also swaps mainland words for Taiwan ones
(信息 → 資訊, 软件 → 軟體): a township's summary should keep its own words.

Phrase rules rewrite some names and words that must stay as written (慈溪 → 慈谿, 家具 → 傢俱,
新签 → 新籤 beside 續簽). So two things are kept out of them:

- names from the records (places, federations, employers, unions, people, media outlets), which
  the caller passes as `protected`: each is converted character by character, never by phrase;
- the project's exceptions, `PHRASE_EXCEPTIONS`, written out in the form to print.
"""

import dataclasses
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import opencc

from reports.document import Document

CONFIG = "s2tw.json"

# Simplified → the Traditional form to print, where OpenCC's phrase table picks a form that
# Taiwan and Hong Kong do not use in a trade union's summary. Longest match wins.
PHRASE_EXCEPTIONS: dict[str, str] = {
    # 簽 (to sign) not 籤 (a slip, a lot): 新签/续签/签订 a contract.
    "新签": "新簽",
    "续签": "續簽",
    "签订": "簽訂",
    "签约": "簽約",
    # 家具 is the standard word in Taiwan; 傢俱 is a variant.
    "家具": "家具",
    # The city of 慈溪 is written 慈溪 in Traditional too; 慈谿 is its historical name.
    "慈溪": "慈溪",
}

# Characters whose one-character conversion is wrong inside a name (a name is never converted
# by phrase, so these would otherwise come out in their first listed form).
_NAME_CHARACTERS: dict[str, str] = {"签": "簽"}


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC(CONFIG)


@lru_cache(maxsize=4096)
def _name_in_traditional(name: str) -> str:
    """A name character by character: Traditional forms, no phrase rule."""
    convert = _converter().convert
    return "".join(_NAME_CHARACTERS.get(ch) or convert(ch) for ch in name)


@lru_cache(maxsize=64)
def _pattern(protected: frozenset[str]) -> re.Pattern[str]:
    keys = sorted(protected | PHRASE_EXCEPTIONS.keys(), key=len, reverse=True)
    return re.compile("|".join(re.escape(key) for key in keys))


def to_traditional_text(text: str, protected: Iterable[str] = ()) -> str:
    """`text` in Taiwan-standard Traditional characters; each of `protected` (names) and of
    PHRASE_EXCEPTIONS that occurs in it is converted apart from the phrase rules."""
    if not text:
        return text
    names = frozenset(name for name in protected if name)
    pattern = _pattern(names)
    convert = _converter().convert
    out: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            out.append(convert(text[position : match.start()]))
        found = match.group()
        # A project exception wins over a name that equals it (慈溪 as a place name).
        out.append(PHRASE_EXCEPTIONS.get(found) or _name_in_traditional(found))
        position = match.end()
    out.append(convert(text[position:]))
    return "".join(out)


def _convert(value: Any, protected: frozenset[str]) -> Any:
    if isinstance(value, str):
        return to_traditional_text(value, protected)
    if isinstance(value, tuple):
        return tuple(_convert(v, protected) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value,
            **{
                f.name: _convert(getattr(value, f.name), protected)
                for f in dataclasses.fields(value)
                if f.name not in ("language", "metadata", "level")
            },
        )
    return value


def to_traditional(document: Document, protected: Iterable[str] = ()) -> Document:
    """The same document with every visible string in Traditional characters.

    `protected`: names from the records to keep out of OpenCC's phrase rules (see the module
    docstring); only those that occur in the document matter, so a caller may pass more."""
    text = document.plain_text()
    names = frozenset(name for name in protected if name and name in text)
    converted = _convert(document, names)
    return dataclasses.replace(converted, language="zh-hant")
