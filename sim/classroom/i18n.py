"""The classroom's two languages: one catalogue each (`messages_zh`, `messages_en`), looked up
by key; the page shows no word that is not in both.

Money: Chinese in 万元 (亿元 from 10⁸), English in million yuan (GLOSSARY).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim.classroom import messages_en, messages_zh

LANGS = ("zh", "en")
CATALOGUES: dict[str, dict[str, str]] = {"zh": messages_zh.MESSAGES, "en": messages_en.MESSAGES}


@dataclass(frozen=True)
class Tr:
    """`tr(key, **values)`: the catalogue's text of one language, formatted."""

    lang: str

    def __post_init__(self) -> None:
        if self.lang not in CATALOGUES:
            raise ValueError(f"language {self.lang!r}: expected one of {', '.join(LANGS)}")

    def __call__(self, key: str, **values: Any) -> str:
        text = CATALOGUES[self.lang][key]
        return text.format(**values) if values else text

    @property
    def gap(self) -> str:
        """The space between two phrases: an ideographic space in Chinese, two in English."""
        return "\u3000" if self.lang == "zh" else "  "

    def money_wan(self, wan: float) -> str:
        """An amount given in 万元, written the language's way."""
        if self.lang == "zh":
            if abs(wan) >= 1e4:
                return f"{wan / 1e4:,.2f}亿元"
            return f"{wan:,.0f}万元"
        m = wan / 100.0
        return f"{m:,.2f} M yuan" if abs(m) < 10 else f"{m:,.1f} M yuan"

    def signed(self, value: float, fmt: str = "{:+,.0f}") -> str:
        return fmt.format(value).replace("-", "−")

    def class_label(self, water_class: float) -> str:
        k = min(max(int(round(water_class)), 1), 6)
        return self(f"class.{k}")


def tr(lang: str) -> Tr:
    """The language's Tr; an unknown language falls back to Chinese (the default)."""
    return Tr(lang if lang in CATALOGUES else "zh")


__all__ = ["CATALOGUES", "LANGS", "Tr", "tr"]
