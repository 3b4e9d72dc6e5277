"""Fuzzy dates: a year, a month or a day, printed at their own precision."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ..errors import shown
from ..months import month_name

_FUZZY = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@dataclass(frozen=True, order=False)
class FuzzyDate:
    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: object) -> "FuzzyDate":
        """Accept what YAML hands over: int (2021), str ('2021-08'), date or datetime.

        Raises ValueError with a message fit for the user.
        """
        if isinstance(value, bool):
            raise ValueError(f"expected a date like 2021, 2021-08 or 2021-08-15, "
                             f"got {shown(value)}")
        if isinstance(value, dt.datetime):
            return cls(value.year, value.month, value.day)
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError(f"expected a date like 2021, 2021-08 or 2021-08-15, "
                             f"got {shown(value)}")
        m = _FUZZY.match(value.strip())
        if not m:
            raise ValueError(f"{shown(value)} is not a date: write 2021, 2021-08 or 2021-08-15")
        year, month, day = (int(g) if g else None for g in m.groups())
        if year < dt.MINYEAR:
            raise ValueError(f"{shown(value)} has no year 0: years run from 0001")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{shown(value)} has no month {month}: months run 01 to 12")
        if day is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(f"{shown(value)} does not exist: "
                                 f"{month_name(month)} {year} "
                                 f"has {last} days")
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def end(self) -> dt.date:
        if self.day:
            return self.start
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def sort_key(self) -> tuple:
        # A whole year sorts before its months, a month before its days: the wider period
        # opens the narrower ones, which reads naturally in a chronology.
        return (self.start, -self.end.toordinal())

    def iso(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def long(self) -> str:
        if self.day:
            return f"{self.day} {month_name(self.month)} {self.year}"
        if self.month:
            return f"{month_name(self.month)} {self.year}"
        return str(self.year)

    def __str__(self) -> str:
        return self.long()
