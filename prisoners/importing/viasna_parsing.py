"""
Reading Viasna's free-text fields: charges ("Part 2 of Art. 293 of the Criminal Code —
Participation in riots") and sentences ("4 1/2 years", "1 year and 10 months", "80 base
rates"). Whatever cannot be read is kept as the original text and reported, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# "Part 1 of Article 13" (preparation), 14 (attempt) and 16 (complicity) qualify the
# article that follows them; the charge is under that one.
INCHOATE = {"13", "14", "16"}
_ARTICLE = re.compile(
    r"(?:Part\s+(?P<part>\d+)\s+of\s+)?(?:Art(?:icle)?\.?)\s*(?P<number>\d+(?:-\d+)?)",
    re.IGNORECASE,
)
_TITLE = re.compile(r"\s(?:—|–|-|:)\s*|:\s*")


@dataclass(frozen=True)
class ParsedCharge:
    number: str
    part: str
    title: str


def parse_charge(text: str) -> ParsedCharge | None:
    """The main article, its part and the title, or None when no article can be read."""
    matches = list(_ARTICLE.finditer(text or ""))
    if not matches:
        return None
    main = [m for m in matches if m["number"] not in INCHOATE] or matches
    chosen = main[-1]
    title = ""
    rest = text[chosen.end() :]
    split = _TITLE.search(rest)
    if split:
        title = rest[split.end() :].strip()
    return ParsedCharge(chosen["number"], chosen["part"] or "", title)


@dataclass(frozen=True)
class ParsedSentence:
    term_months: int | None = None
    term_days: int | None = None
    fine_amount: Decimal | None = None
    fine_unit: str = ""


_NUMBER = r"(?P<{name}>\d+(?:\s+1/2|\.5)?)"
_YEARS = re.compile(_NUMBER.format(name="years") + r"\s*y[a-z]*r[a-z]*\b", re.IGNORECASE)
_MONTHS = re.compile(r"(?P<months>\d+)\s*m[a-z]*th[a-z]*\b", re.IGNORECASE)
_DAYS = re.compile(r"(?P<days>\d+)\s*days?\b", re.IGNORECASE)
_FINE = re.compile(
    r"^(?P<amount>\d+(?:[.,]\d{3})*(?:,\d+)?)\s+(?P<unit>base (?:rates?|values?)|"
    r"(?:belarusian )?rubles?|byn)$",
    re.IGNORECASE,
)


def _years_to_months(text: str) -> int:
    text = text.strip()
    if text.endswith("1/2"):
        return int(text.split()[0]) * 12 + 6
    if text.endswith(".5"):
        return int(text[:-2]) * 12 + 6
    return int(text) * 12


def parse_sentence(text: str) -> ParsedSentence | None:
    """A term or a fine from Viasna's ``decision`` text; None when it cannot be read."""
    text = " ".join((text or "").split())
    if not text:
        return None
    fine = _FINE.match(text)
    if fine:
        amount = fine["amount"]
        # "5.100" is five thousand one hundred: a dot before three digits groups thousands.
        amount = re.sub(r"[.,](?=\d{3}\b)", "", amount).replace(",", ".")
        unit = "base rates" if fine["unit"].lower().startswith("base") else "BYN"
        return ParsedSentence(fine_amount=Decimal(amount), fine_unit=unit)
    years, months, days = _YEARS.search(text), _MONTHS.search(text), _DAYS.search(text)
    if not (years or months or days):
        return None
    leftover = text
    for match in (years, months, days):
        if match:
            leftover = leftover.replace(match.group(0), " ")
    if re.sub(r"\b(and|,)\b|,", " ", leftover).strip():
        return None  # words we do not understand: keep the text, report it
    total = (_years_to_months(years["years"]) if years else 0) + (
        int(months["months"]) if months else 0
    )
    return ParsedSentence(
        term_months=total if (years or months) else None,
        term_days=int(days["days"]) if days else None,
    )
