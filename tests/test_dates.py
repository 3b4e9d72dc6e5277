import datetime as dt

import pytest

from briefgen.content.dates import FuzzyDate


@pytest.mark.parametrize("value, iso, long", [
    (2021, "2021", "2021"),
    ("2021", "2021", "2021"),
    ("2021-08", "2021-08", "August 2021"),
    ("2021-08-15", "2021-08-15", "15 August 2021"),
    (dt.date(2021, 8, 5), "2021-08-05", "5 August 2021"),
    ("2024-02-29", "2024-02-29", "29 February 2024"),
])
def test_parse_and_print_at_own_precision(value, iso, long):
    date = FuzzyDate.parse(value)
    assert date.iso() == iso
    assert date.long() == long


@pytest.mark.parametrize("value", ["2024-02-30", "2023-02-29", "2021-13", "21-08-01", "August",
                                   True, 3.5, None, "2021-8-1x"])
def test_invalid_dates_raise_value_error(value):
    with pytest.raises(ValueError):
        FuzzyDate.parse(value)


def test_a_fuzzy_date_covers_its_whole_period():
    year, month = FuzzyDate.parse(2021), FuzzyDate.parse("2021-02")
    assert (year.start, year.end) == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert (month.start, month.end) == (dt.date(2021, 2, 1), dt.date(2021, 2, 28))


def test_wider_period_sorts_first():
    dates = [FuzzyDate.parse(v) for v in ("2021-08-15", "2021-08", "2021", "2020-12-31")]
    assert [d.iso() for d in sorted(dates, key=lambda d: d.sort_key)] == \
        ["2020-12-31", "2021", "2021-08", "2021-08-15"]


def test_month_sorts_before_its_days_and_after_its_year_even_in_january():
    dates = [FuzzyDate.parse(v) for v in ("2021-01-01", "2021-01", "2021")]
    assert [d.iso() for d in sorted(dates, key=lambda d: d.sort_key)] == \
        ["2021", "2021-01", "2021-01-01"]


def test_month_names_are_english_whatever_the_locale(monkeypatch):
    """calendar.month_name follows LC_TIME: a host program that set a German locale would have
    printed "März 2024" in a brief. briefgen spells months from its own table."""
    import calendar
    import pathlib
    import re

    german = ["", "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
              "September", "Oktober", "November", "Dezember"]
    monkeypatch.setattr(calendar, "month_name", german)
    assert FuzzyDate.parse("2024-03").long() == "March 2024"
    assert FuzzyDate.parse("2024-03-05").long() == "5 March 2024"
    # and no other module spells a month through the locale (periods, alt text, timeline)
    package = pathlib.Path(__file__).resolve().parent.parent / "briefgen"
    users = [p.relative_to(package).as_posix() for p in package.rglob("*.py")
             if p.name != "months.py" and re.search(r"calendar\.month_(name|abbr)|strftime\([^)]*%[bB]", p.read_text())]
    assert users == []
