"""The report's two languages: one message catalogue per language (`messages_zh`,
`messages_en`), looked up by key; no words live in the figure code.

    tr = Tr("zh"); tr("fig.income")  ->  "人均可支配收入"

Chinese pages write money in 万元 and the water classes as Ⅰ类 … 劣Ⅴ类 (GLOSSARY); English pages in
million yuan and I … worse than V.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim.report import messages_en, messages_zh

LANGS = ("zh", "en")
CATALOGUES: dict[str, dict[str, str]] = {"zh": messages_zh.MESSAGES, "en": messages_en.MESSAGES}
MONEY_SCALE = {"zh": 1e4, "en": 1e6}  # 万元, million yuan


@dataclass(frozen=True)
class Tr:
    """The words of one language: `tr(key, **values)` formats the catalogue's text."""

    lang: str

    def __post_init__(self) -> None:
        if self.lang not in CATALOGUES:
            raise ValueError(f"language {self.lang!r}: expected one of {', '.join(LANGS)}")

    def __call__(self, key: str, **values: Any) -> str:
        text = CATALOGUES[self.lang][key]
        return text.format(**values) if values else text.replace("{{", "{").replace("}}", "}")

    def name(self, prefix: str, raw: str) -> str:
        """A name from the tables (a scenario, source or lever): its catalogue word if it has
        one, else the raw name (a scenario the user named keeps its own name)."""
        text = CATALOGUES[self.lang].get(f"{prefix}.{raw}")
        return text if text is not None else raw.replace("_", " ")

    @property
    def money_scale(self) -> float:
        return MONEY_SCALE[self.lang]

    def class_label(self, water_class: int) -> str:
        return self(f"class.{water_class}")


__all__ = ["CATALOGUES", "LANGS", "MONEY_SCALE", "Tr"]
