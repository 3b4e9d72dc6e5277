"""Estimative-language checks (ICD 203) on key judgments: warnings, as Problems.

The loader already rejects a ``likelihood`` outside the ICD 203 vocabulary and a brief that mixes
the two sets of terms. These checks read the judgment *text*:

- a hedge outside the vocabulary ("might", "could", "possibly", "perhaps", ...) blurs the
  calibrated likelihood the judgment carries: state the judgment plainly and let
  ``likelihood`` say how likely it is;
- a likelihood term in the text that differs from the judgment's ``likelihood`` contradicts it.

Each problem points at the line of the offending word in the brief file when the file can be
read, else at the line where the judgment's text starts. The CLI prints them as warnings;
``--strict`` makes them errors.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..content.models import LIKELIHOOD_ALIASES, LIKELIHOOD_SETS, Brief, KeyJudgment
from ..errors import Problem


@dataclass(frozen=True)
class Hedge:
    phrase: str  # as written in the pattern, for messages
    pattern: re.Pattern


def _words(phrase: str) -> str:
    return r"\b" + r"\s+".join(re.escape(w) for w in phrase.split()) + r"\b"


# Words and phrases that hedge without a calibrated meaning. Modal verbs count because in a key
# judgment "X could happen" says nothing about how likely X is.
HEDGE_PHRASES = (
    "possibly", "perhaps", "maybe", "might", "could", "may", "probably", "conceivably",
    "potentially", "presumably", "seemingly", "arguably", "it is possible", "it is conceivable",
    "there is a chance", "cannot be ruled out", "cannot rule out", "cannot be excluded",
)
HEDGES = tuple(Hedge(p, re.compile(_words(p), re.IGNORECASE)) for p in HEDGE_PHRASES)

_TERMS = sorted({t for terms in LIKELIHOOD_SETS for t in terms} | set(LIKELIHOOD_ALIASES),
                key=len, reverse=True)  # longest first: "very likely" before "likely"
_TERM_RE = re.compile("|".join(_words(t) for t in _TERMS), re.IGNORECASE)
# "remote" is a likelihood term only when it qualifies a chance, not in "remote border areas".
_REMOTE_NOUNS = ("chance", "chances", "possibility", "prospect", "prospects", "probability",
                 "likelihood")
_SENTENCE_START = re.compile(r"(^|[.!?:;]\s+|\n\s*)$")


def _is_month_may(text: str, m: re.Match) -> bool:
    """'May' the month: capitalised mid-sentence, or next to a day or year number."""
    if m.group(0) != "May":
        return False
    before, after = text[:m.start()], text[m.end():]
    if re.search(r"\d\s*$", before) or re.match(r"\s*\d", after):
        return True
    return not _SENTENCE_START.search(before)


def _is_remote_term(text: str, m: re.Match) -> bool:
    nxt = re.match(r"\s*([A-Za-z]+)", text[m.end():])
    return nxt is None or nxt.group(1).lower() in _REMOTE_NOUNS


def _canonical(term: str) -> str:
    term = " ".join(term.lower().split())
    return LIKELIHOOD_ALIASES.get(term, term)


@dataclass(frozen=True)
class Finding:
    """One match in a judgment's text: the phrase, its n-th occurrence there, the message."""

    kind: str  # "hedge" or "term"
    phrase: str  # lowercased, as matched
    occurrence: int
    message: str


def _hedge_matches(text: str, hedge: Hedge) -> list[re.Match]:
    return [m for m in hedge.pattern.finditer(text)
            if not (hedge.phrase == "may" and _is_month_may(text, m))]


def _term_matches(text: str) -> list[re.Match]:
    return [m for m in _TERM_RE.finditer(text)
            if _canonical(m.group(0)) != "remote" or _is_remote_term(text, m)]


def _occurrences(text: str, kind: str, phrase: str) -> list[int]:
    """Start offsets of ``phrase`` in ``text``, found exactly as judgment_findings finds them."""
    if kind == "hedge":
        hedge = next(h for h in HEDGES if h.phrase == phrase)
        return [m.start() for m in _hedge_matches(text, hedge)]
    return [m.start() for m in _term_matches(text) if " ".join(m.group(0).lower().split())
            == phrase]


def judgment_findings(kj: KeyJudgment, number: int) -> list[Finding]:
    text = str(kj.text)
    found: list[tuple[int, Finding]] = []
    for hedge in HEDGES:
        for n, m in enumerate(_hedge_matches(text, hedge)):
            found.append((m.start(), Finding(
                "hedge", hedge.phrase, n,
                f"key judgment {number}: '{m.group(0)}' is a hedge outside the ICD 203 "
                "vocabulary: state the judgment plainly and give how likely it is in "
                "'likelihood'")))
    counts: dict[str, int] = {}
    for m in _term_matches(text):
        said = " ".join(m.group(0).lower().split())
        occurrence = counts.get(said, 0)
        counts[said] = occurrence + 1
        term = _canonical(said)
        if term == kj.likelihood:
            continue
        if kj.likelihood:
            message = (f"key judgment {number}: the text says '{said}' but the judgment's "
                       f"likelihood is '{kj.likelihood}': keep one likelihood term, in "
                       "'likelihood', and take it out of the text")
        else:
            message = (f"key judgment {number}: the text says '{said}', an ICD 203 likelihood "
                       "term, but the judgment has no 'likelihood': move it there "
                       f"(likelihood: {term})")
        found.append((m.start(), Finding("term", said, occurrence, message)))
    return [f for _, f in sorted(found, key=lambda pf: pf[0])]


def _text_span(brief: Brief, index: int, total_lines: int) -> tuple[int, int]:
    """First and last line of judgment ``index``'s text value in the brief file."""
    kj = brief.key_judgments[index]
    start = kj.text_line
    later = [line for line in (kj.origin.fields.values() if kj.origin else ()) if line > start]
    later += [j.line for j in brief.key_judgments[index + 1:] if j.line > start]
    later += [line for line in brief.origin.fields.values() if line > start]
    end = min(later) - 1 if later else total_lines
    return start, max(start, end)


def _locate(finding: Finding, lines: list[str], span: tuple[int, int]) -> int | None:
    start, end = span
    chunk = "\n".join(lines[start - 1:end])
    # The first line holds the key ("text: >-", "- {text: ..."): search from the value on.
    key = re.match(r"\s*(-\s*)?\{?\s*text\s*:", chunk)
    skip = key.end() if key else 0
    found = [p for p in _occurrences(chunk[skip:], finding.kind, finding.phrase)]
    if finding.occurrence < len(found):
        return start + chunk.count("\n", 0, skip + found[finding.occurrence])
    return None


def _read_lines(path: str) -> list[str] | None:
    try:
        return Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None


def check_brief(brief: Brief, lines: list[str] | None = None) -> list[Problem]:
    """Estimative-language warnings for one brief's key judgments.

    ``lines``: the brief file's lines, to point at the exact line of each word; read from
    ``brief.origin.path`` when not given (the judgment text's first line if unreadable).
    """
    if not brief.key_judgments:
        return []
    if lines is None:
        lines = _read_lines(brief.origin.path)
    problems = []
    for i, kj in enumerate(brief.key_judgments):
        findings = judgment_findings(kj, i + 1)
        span = _text_span(brief, i, len(lines)) if lines and findings else None
        for finding in findings:
            line = _locate(finding, lines, span) if span else None
            problems.append(Problem(finding.message, brief.origin.path, line or kj.text_line))
    return problems


def check_briefs(briefs) -> list[Problem]:
    problems: list[Problem] = []
    for brief in briefs:
        problems += check_brief(brief)
    return problems
