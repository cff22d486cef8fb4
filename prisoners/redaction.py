"""
Withheld names never leave the database.

When a family asks for a person's name to be withheld, no public output may contain the
name or any of its spellings, wherever it appears: in that person's records, in another
record's description, in a published source's title or in a quote. Every public response
(API and exports) passes through ``Redactor``, which replaces each spelling of each
withheld name, as a whole word and in any case, with ``[name withheld]``.

One query per response finds the spellings. Records of a withheld person additionally
leave out their name spellings, identifiers and citations (see the API serializers).
"""

from __future__ import annotations

import re

from .models import Person

WITHHELD = "[name withheld]"


class Redactor:
    def __init__(self, spellings):
        spellings = sorted({s.strip() for s in spellings if s and s.strip()}, key=len, reverse=True)
        self.pattern = (
            re.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(s) for s in spellings) + r")(?!\w)",
                re.IGNORECASE,
            )
            if spellings
            else None
        )

    @classmethod
    def from_database(cls) -> Redactor:
        rows = Person.objects.filter(name_withheld=True).values_list("name", "names__name")
        return cls(spelling for row in rows for spelling in row)

    def text(self, value: str) -> str:
        if self.pattern is None or not value:
            return value
        return self.pattern.sub(WITHHELD, value)

    def data(self, value):
        """Redact every string inside nested dicts and lists (keys are left alone)."""
        if self.pattern is None:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {key: self.data(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.data(item) for item in value]
        return value
