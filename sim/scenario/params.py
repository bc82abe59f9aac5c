"""How a parameter is declared: default, plausible range, source tag and source, in one place.

`param(...)` wraps `pydantic.Field`; the tag (S sourced, D derived, A assumption, C calibrated),
the source and the plausible range travel in the JSON Schema (`x-tag`, `x-source`, `x-range`),
so editors show them, `greensim params` lists them and docs/parameters.md is generated from them.
Also the value types every section shares: finite numbers only (`Frozen`), safe scenario names
(`SafeName`) and dates within the calendar the model knows (`SupportedDate`).
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

TAGS = {"S": "sourced", "D": "derived", "A": "assumption", "C": "calibrated"}


def param(default: Any, *, tag: str, source: str, rng: tuple[float, float] | None = None,
          ge: float | None = None, le: float | None = None, gt: float | None = None,
          lt: float | None = None, doc: str = "") -> Any:
    """A model parameter: `rng` is the plausible range (the uncertainty), ge/le the hard bounds."""
    if tag not in TAGS:
        raise ValueError(f"unknown tag {tag!r}")
    extra: dict[str, Any] = {"x-tag": tag, "x-source": source}
    if rng is not None:
        extra["x-range"] = list(rng)
    text = f"{doc} [{tag}] {source}".strip()
    return Field(default, description=text, ge=ge, le=le, gt=gt, lt=lt,
                 json_schema_extra=extra)


class Frozen(BaseModel):
    """Base of every scenario section: unknown keys are errors, instances are immutable, and
    numbers are finite (`.inf` and `.nan` are refused where they are written, not met in a run)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


Month = Annotated[int, Field(ge=1, le=12)]
"""A month's number, 1 (January) to 12."""
MonthlyShares = Annotated[tuple[Annotated[float, Field(ge=0, le=1)], ...],
                          Field(min_length=12, max_length=12)]
"""A share or chance per month: 12 values in 0..1, January first (a run indexes them by month,
so fewer would fail inside it)."""


# ----------------------------------------------------------------------------- names
NAME_PATTERN = r"^(?:[A-Za-z0-9_-]|[^\x00-\x7F])+$"
"""A scenario name in the JSON Schema (portable: ECMA-262 and Python alike): ASCII letters,
digits, `_`, `-`, or any non-ASCII character; greensim also checks the non-ASCII ones are
letters, digits or marks (`is_safe_name`). No `.`, `/`, `\\`, space: never a path, never `..`."""
NAME_RULE = "letters of any script, digits, _ or - (no '.', '/', spaces; it names a folder)"
MAX_NAME_BYTES = 200
"""Longest scenario name, in UTF-8 bytes: a folder's name takes at most 255 bytes, and greensim
writes a folder first under a temporary name (`.NAME.tmp-PID`, `.NAME.old-PID`: 16 more)."""


def is_safe_name(text: str) -> bool:
    """True if `text` can name a scenario (and its output folder): see `NAME_PATTERN`."""
    return (re.fullmatch(NAME_PATTERN, text) is not None
            and all(c.isascii() or unicodedata.category(c)[0] in "LNM" for c in text))


def folder_key(name: str) -> str:
    """What two names must not share to name distinct folders everywhere: names equal but for
    case (`Base`, `base`) or Unicode normalisation (NFC, NFD `á`) name one folder on
    case-insensitive or normalising file systems (macOS, Windows)."""
    return unicodedata.normalize("NFC", name).casefold()


def _safe_name(text: str) -> str:
    if not is_safe_name(text):
        raise PydanticCustomError("safe_name", f"expected a name of {NAME_RULE}")
    size = len(text.encode("utf-8"))
    if size > MAX_NAME_BYTES:
        raise PydanticCustomError(
            "name_bytes", f"expected a name of at most {MAX_NAME_BYTES} bytes in UTF-8 (this one "
                          f"has {size}; a Chinese character takes 3), as it names a folder")
    try:
        os.fsencode(text)
    except UnicodeEncodeError:  # e.g. the C locale without UTF-8: file names are ASCII
        raise PydanticCustomError(
            "name_encoding", f"the name cannot be a folder name on this system's file-name "
                             f"encoding ({sys.getfilesystemencoding()}); set a UTF-8 locale, "
                             f"e.g. LANG=C.UTF-8, or use an ASCII name") from None
    return text


SafeName = Annotated[str, Field(max_length=80, json_schema_extra={"pattern": NAME_PATTERN}),
                     AfterValidator(_safe_name)]
"""A scenario name: also its output folder's name, so never a path."""


# ----------------------------------------------------------------------------- dates
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2099, 12, 31)
DATE_RULE = (f"a date from {FIRST_DATE} to {LAST_DATE} (the lunar calendar that places the "
             f"Spring Festival holidays covers 1900-2099)")


def _supported(day: date) -> date:
    if not FIRST_DATE <= day <= LAST_DATE:
        raise PydanticCustomError("date_range", f"expected {DATE_RULE}")
    return day


SupportedDate = Annotated[date, AfterValidator(_supported),
                          Field(json_schema_extra={"pattern": "^(19|20)[0-9][0-9]-"})]
"""A date the model's calendar can simulate (the scenario's start and end)."""


class Pollutants(Frozen):
    """One number per modelled pollutant (COD, NH3-N, TP)."""

    cod: float = Field(ge=0)
    nh3n: float = Field(ge=0)
    tp: float = Field(ge=0)


class Shares(Frozen):
    """One share (0–1) per modelled pollutant."""

    cod: float = Field(ge=0, le=1)
    nh3n: float = Field(ge=0, le=1)
    tp: float = Field(ge=0, le=1)
