"""Simplified → Traditional Chinese for any summary, with OpenCC's phrase-aware dictionaries
(头发 → 頭髮 but 发放 → 發放), not character by character."""

import dataclasses
from functools import lru_cache
from typing import Any

import opencc

from reports.document import Document


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("s2t.json")


def to_traditional_text(text: str) -> str:
    return _converter().convert(text) if text else text


def _convert(value: Any) -> Any:
    if isinstance(value, str):
        return to_traditional_text(value)
    if isinstance(value, tuple):
        return tuple(_convert(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value,
            **{
                f.name: _convert(getattr(value, f.name))
                for f in dataclasses.fields(value)
                if f.name not in ("language", "metadata", "level")
            },
        )
    return value


def to_traditional(document: Document) -> Document:
    """The same document with every visible string in Traditional characters."""
    converted = _convert(document)
    return dataclasses.replace(converted, language="zh-hant")
