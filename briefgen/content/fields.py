"""Reading one YAML mapping field by field, collecting problems instead of stopping at the first."""
from __future__ import annotations

import difflib
import re

from .dates import FuzzyDate
from .lookalike import BIDI_CONTROLS, misleading
from ..errors import Problem, shown
from .mdtext import content_markdown
from .models import Md, SourceRef
from .spec import keys
from .yamlpos import PosDict, PosList

# Ids name output files ("ID-copy-12.docx", and a temporary ".ID-copy-12.docx.PID.XXXX.tmp"
# beside it): 100 characters keep every such name well under the 255 a file system allows.
MAX_ID = 100
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,%d}$" % (MAX_ID - 1))
# a BCP 47 language tag as documents carry it: en, en-GB, ps, fa-AF, zh-Hans-CN
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# What a field is checked further for: control characters (refused), bidi controls (a warning)
_UNUSUAL = re.compile(_CONTROL.pattern[:-1] + BIDI_CONTROLS.pattern[1:])
# Not characters at all (U+FFFE, U+FFFF, halves of surrogate pairs): no DOCX file can hold them,
# and the DOCX renderer could only name the line of the template's output.
_NONCHARACTER = re.compile("[\ud800-\udfff\ufffe\uffff]")
# One paragraph of a million characters takes the PDF renderer minutes (every page break lays
# out the rest again): a Markdown field (a summary, a section body) may have about 30 pages, a
# one-line field (a title, a name) a few pages of one heading.
MAX_TEXT_CHARS = 100_000
MAX_LINE_CHARS = 10_000
_DATES: dict[str, FuzzyDate] = {}  # date text -> the date it parses to
_KEY_SETS: dict[tuple[str, ...], frozenset] = {}


def did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def not_an_id(value: str) -> str:
    """What makes ``value`` misleading, to follow "is not a valid id", if that is the reason."""
    why = misleading(value)
    return f" (it contains {why})" if why else ""


def type_name(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {shown(value)}"


class Fields:
    """Typed access to one mapping; every failed check becomes a Problem at the value's line."""

    def __init__(self, data: PosDict, path: str, problems: list[Problem], what: str):
        self.data = data
        self.path = path
        self.problems = problems
        self.what = what
        self.warnings: list[Problem] | None = None  # set by check_keys; nested mappings use it
        self.misspelt: dict[str, str] | None = None  # required key -> the unknown key like it

    def line(self, key: str) -> int:
        return self.data.line_of(key)

    def problem(self, key: str | None, message: str, line: int | None = None) -> None:
        if line is None:
            line = self.line(key) if key is not None else self.data.line
        self.problems.append(Problem(message, self.path, line))

    def check_keys(self, known: tuple[str, ...], warnings: list[Problem],
                   required: tuple[str, ...] = ()) -> None:
        """Warn of each unknown key; one that looks like a missing required key is kept for
        the error about that key (``_raw``), which names it at its own line."""
        self.warnings = warnings
        if getattr(self.data, "comments", None):  # 'key: #text': a required key's error says it, others warn
            for key, text in self.data.comments.items():
                if key in known and key not in required:
                    warnings.append(Problem(f"'{key}' is empty{self.data.comment_hint(key)}",
                                            self.path, self.line(key)))
        known_set = _KEY_SETS.get(known)
        if known_set is None:
            known_set = _KEY_SETS[known] = frozenset(known)
        if self.data.keys() <= known_set:  # nearly always
            return
        missing = [k for k in required if self.data.get(k) is None]
        for key in self.data:
            if key not in known:
                close = difflib.get_close_matches(str(key), missing, n=1, cutoff=0.6)
                if close and close[0] not in (self.misspelt or {}):
                    self.misspelt = {**(self.misspelt or {}), close[0]: key}
                    continue
                warnings.append(Problem(
                    f"unknown field '{key}' in {self.what}{did_you_mean(key, known)}; "
                    "it is ignored", self.path, self.line(key)))

    def _raw(self, key: str, required: bool):
        value = self.data.get(key)
        if value is None or value == [] or (isinstance(value, str) and not value.strip()):
            if required:
                typo = (self.misspelt or {}).get(key)
                comment = self.data.comment_hint(key) if value is None and \
                    isinstance(self.data, PosDict) else ""
                if typo is not None and value is None:
                    self.problem(typo, f"unknown field {shown(typo)} in {self.what} (did you "
                                       f"mean '{key}'?): {self.what} needs a '{key}' field")
                elif comment:
                    self.problem(key, f"{self.what} needs a '{key}' field{comment}")
                else:
                    self.problem(None, f"{self.what} needs a '{key}' field")
            return None
        return value

    def text(self, key: str, required: bool = False, multiline: bool = False) -> str:
        value = self.data.get(key)
        limit = MAX_TEXT_CHARS if multiline else MAX_LINE_CHARS
        if value.__class__ is str and value and not value.isspace():  # nearly always
            if len(value) > limit or _UNUSUAL.search(value) or _NONCHARACTER.search(value):
                value = self._clean(key, f"'{key}'", value, self.line(key), limit)
            return value if multiline else " ".join(value.split())
        value = self._raw(key, required)
        if value is None:
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            # a mapping, a list, true/false, or a YAML !!binary / !!set value
            self.problem(key, f"'{key}' must be text, not {type_name(value)}")
            return ""
        text = self._clean(key, f"'{key}'", str(value), self.line(key), limit)
        if not multiline:
            text = " ".join(text.split())
        return text

    def _clean(self, key: str, what: str, text: str, line: int, limit: int) -> str:
        """``text`` without control characters and at most ``limit`` long; problems reported."""
        if _CONTROL.search(text):
            self.problem(key, f"{what} contains a control character (such as NUL): remove it",
                         line)
            text = _CONTROL.sub("", text)
        bidi = BIDI_CONTROLS.search(text)
        if bidi and self.warnings is not None:
            self.warnings.append(Problem(
                f"{what} contains U+{ord(bidi.group()):04X}, a bidi control that makes text "
                "display in another order than it reads (\"Trojan Source\"): remove it unless "
                "it is meant", self.path, line))
        bad = _NONCHARACTER.search(text)
        if bad:
            self.problem(key, f"{what} contains U+{ord(bad.group()):04X}, which is not a "
                              "character (a DOCX file cannot hold it): remove it", line)
            text = _NONCHARACTER.sub("", text)
        if len(text) > limit:
            self.problem(key, f"{what} is {len(text):,} characters long, more than the "
                              f"{limit:,} it may have: shorten it"
                              + (" or split it into sections" if limit == MAX_TEXT_CHARS else ""),
                         line)
            text = text[:limit]
        return text

    def markdown(self, key: str, required: bool = False) -> Md:
        return content_markdown(self.text(key, required, multiline=True).strip())

    def markdown_list(self, key: str) -> list[Md]:
        """A list of Markdown texts, each checked like ``markdown``."""
        return [content_markdown(text.strip())
                for text in self._text_items(key, MAX_TEXT_CHARS, one_is_a_list=False)]

    def _text_items(self, key: str, limit: int, one_is_a_list: bool) -> list[str]:
        """The items of a list of texts, each checked; a wrong item is reported and skipped."""
        value = self.data.get(key)
        if value is None:
            return []
        if one_is_a_list and isinstance(value, (str, int, float)) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, list):
            self.problem(key, f"'{key}' must be a list, not {type_name(value)}")
            return []
        out = []
        for i, item in enumerate(value):
            if item.__class__ is str and len(item) <= limit and not _UNUSUAL.search(item):
                out.append(item)  # nearly always
                continue
            line = value.line_of(i) if isinstance(value, PosList) else self.line(key)
            if not isinstance(item, (str, int, float)) or isinstance(item, bool):
                self.problem(key, f"item {i + 1} of '{key}' must be text, not {type_name(item)}",
                             line)
                continue
            out.append(self._clean(key, f"item {i + 1} of '{key}'", str(item), line, limit))
        return out

    def slug(self, key: str, required: bool = False) -> str:
        value = self.text(key, required)
        if len(value) > MAX_ID:
            self.problem(key, f"{shown(value)} is {len(value)} characters long: an id may have "
                              f"at most {MAX_ID} (ids name the output files); shorten it")
        elif value and not SLUG.match(value):
            self.problem(key, f"{shown(value)} is not a valid id{not_an_id(value)}: use "
                              "lowercase letters, digits and hyphens, starting with a letter or "
                              "digit (e.g. 'isis-k')")
        return value

    def strings(self, key: str) -> list[str]:
        return [" ".join(text.split())
                for text in self._text_items(key, MAX_LINE_CHARS, one_is_a_list=True)]

    def date(self, key: str, required: bool = False) -> FuzzyDate | None:
        value = self._raw(key, required)
        if value is None:
            return None
        if value.__class__ is str:  # FuzzyDate is immutable: one per distinct text
            date = _DATES.get(value)
            if date is not None:
                return date
        try:
            date = FuzzyDate.parse(value)
        except ValueError as exc:
            self.problem(key, f"'{key}': {exc}")
            return None
        if value.__class__ is str:
            if len(_DATES) >= 20_000:
                _DATES.clear()
            _DATES[value] = date
        return date

    def choice(self, key: str, choices: tuple[str, ...], default: str = "",
               required: bool = False) -> str:
        value = self.text(key, required)
        if not value:
            return default
        if value not in choices and value.lower() in choices:
            value = value.lower()  # "Moderate" and "HIGH" mean what they say
        if value not in choices:
            self.problem(key, f"'{key}' must be one of {', '.join(choices)}, not "
                              f"{shown(value)}{did_you_mean(value, choices)}")
            return default
        return value

    def mapping_list(self, key: str) -> list[tuple[PosDict, int]]:
        """A list of mappings with the line of each; other items are reported."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(key, f"'{key}' must be a list, not {type_name(value)}")
            return []
        out = []
        for i, item in enumerate(value):
            line = value.line_of(i) if isinstance(value, PosList) else self.line(key)
            if not isinstance(item, dict):
                self.problem(key, f"item {i + 1} of '{key}' must be a mapping, not "
                                  f"{type_name(item)}", line)
                continue
            out.append((item, line))
        return out

    def source_refs(self, key: str = "sources") -> list[SourceRef]:
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem(key, f"'{key}' must be a list of source ids, not {type_name(value)}")
            return []
        refs = []
        positions = isinstance(value, PosList)
        for i, item in enumerate(value):
            line = value.line_of(i) if positions else self.line(key)
            if isinstance(item, str):
                refs.append(SourceRef(item.strip(), line=line))
                continue
            if not isinstance(item, dict):
                self.problem(key, f"a source ref must be a source id or a mapping "
                                  f"{{source: ID, credibility: 1-6, locator: ...}}, not "
                                  f"{type_name(item)}", line)
                continue
            sub = Fields(item, self.path, self.problems, SourceRef.noun)
            if self.warnings is not None:
                sub.check_keys(keys(SourceRef), self.warnings, ("source",))
            source = sub.text("source", required=True)
            cred = item.get("credibility")
            if cred is not None and not (cred.__class__ is int and 1 <= cred <= 6) and \
                    (isinstance(cred, bool) or cred not in (1, 2, 3, 4, 5, 6)):
                if isinstance(cred, str) and cred.strip() in ("1", "2", "3", "4", "5", "6"):
                    cred = int(cred)
                else:
                    sub.problem("credibility", f"credibility must be a digit from 1 to 6 "
                                               f"(Admiralty scale), not {shown(cred)}")
                    cred = None
            refs.append(SourceRef(source, cred, sub.text("locator"), line))
        return refs
