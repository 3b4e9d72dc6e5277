"""English month names, fixed: ``calendar.month_name`` follows the process's LC_TIME, so a host
program that set a locale would print "März 2024" in a brief (and break byte-identical output)."""

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
MONTH_ABBREVIATIONS = tuple(name[:3] for name in MONTH_NAMES)


def month_name(month: int) -> str:
    """The name of ``month`` (1 to 12)."""
    return MONTH_NAMES[month - 1]
