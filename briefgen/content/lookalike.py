"""Text that reads as something it is not: invisible and bidi-control characters, compatibility
forms and letters of another script that look like Latin ones.

A marking decides who may see a brief, so it must print as what it is: "\\u202eRAELC:PLT"
displays as TLP:CLEAR, and "\\u200bTLP:CLEAR", "ТLP:CLEAR" (a Cyrillic Т) or "ＴＬＰ:CLEAR"
(full-width) would print a free-text banner that a reader takes for the TLP label.
"""
from __future__ import annotations

import re
import unicodedata

# Embeddings, overrides and isolates reorder what is displayed ("Trojan Source"); the marks
# (LRM, RLM, ALM) only nudge neutral characters, and right-to-left text needs them.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Blank letters and symbols: not format characters, yet they print nothing.
_BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"})
# Letters of other scripts drawn like Latin capitals or small letters (Unicode's confusables
# for the letters a marking uses); NFKC already folds full-width and other compatibility forms.
_LATIN_LOOKALIKES = str.maketrans({
    **dict(zip("АВЕЅІЈКМНОРСТХУаеіјорсхуѕԁԛԝӏ", "ABESIJKMHOPCTXYaeijopcxysdqwl")),
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοικνρτυχ", "ABEZHIKMNOPTYXoikvptux")),
})
_SCRIPT_GROUPS = ({"CJK", "HIRAGANA", "KATAKANA", "HANGUL"},)  # scripts written together


def _char(c: str) -> str:
    return f"U+{ord(c):04X} {unicodedata.name(c, 'an unnamed character')}"


def _script(c: str) -> str:
    """The script of a letter, from its Unicode name (LATIN, CYRILLIC, GREEK, CJK, ...)."""
    name = unicodedata.name(c, "")
    word = name.split(" ", 1)[0]
    if word in ("FULLWIDTH", "HALFWIDTH", "MATHEMATICAL"):
        return "LATIN" if "LATIN" in name else word
    return word


def invisible(text: str) -> str | None:
    """The first invisible, format or bidi-control character in ``text``, described."""
    for c in text:
        if c in _BLANKS or unicodedata.category(c) in _INVISIBLE_CATEGORIES or \
                "\ufe00" <= c <= "\ufe0f" or "\U000e0100" <= c <= "\U000e01ef":
            return f"the invisible character {_char(c)}"
    return None


def misleading(text: str) -> str | None:
    """Why ``text`` may display as something it is not, or None: an invisible or bidi-control
    character, a compatibility form (NFKC changes it), or a word mixing scripts (a Cyrillic
    letter among Latin ones)."""
    found = invisible(text)
    if found:
        return found
    if unicodedata.is_normalized("NFKC", text) is False:
        for c in text:
            if unicodedata.normalize("NFKC", c) != c:
                return (f"{_char(c)}, a look-alike of '{unicodedata.normalize('NFKC', c)}'")
    words = [w for w in re.split(r"[\W_]+", text) if w]
    latin = any(_script(c) == "LATIN" for c in text if c.isalpha())
    for word in words:
        scripts = {_script(c): c for c in word if c.isalpha()}
        if len(scripts) > 1 and not any(set(scripts) <= group for group in _SCRIPT_GROUPS):
            names = sorted(scripts)
            odd = scripts[names[0] if names[0] != "LATIN" else names[1]]
            return (f"the word '{word}', which mixes {' and '.join(n.title() for n in names)} "
                    f"letters ({_char(odd)} looks like a Latin letter)")
        # a word of look-alikes only ("ТОР" in Cyrillic) beside Latin words reads as Latin
        if latin and scripts and "LATIN" not in scripts and \
                word.translate(_LATIN_LOOKALIKES).isascii():
            return (f"the word '{word}', written in {next(iter(scripts)).title()} letters that "
                    f"look like Latin ones ({_char(word[0])}), beside Latin words")
    return None


def folded(text: str) -> str:
    """``text`` as it looks: compatibility forms and look-alike letters made Latin, invisible
    characters dropped, in capitals."""
    text = unicodedata.normalize("NFKC", text).translate(_LATIN_LOOKALIKES)
    return "".join(c for c in text if not invisible(c)).upper()


def looks_like_tlp(text: str) -> bool:
    """Whether ``text`` reads as a TLP label (TLP:..., TLP-..., TLP ...), whatever it is made of."""
    return re.sub(r"^[\W_]+", "", folded(text)).startswith("TLP")


def tlp_canonical(text: str) -> str:
    """A TLP label as TLP 2.0 writes it: "tlp amber" -> "TLP:AMBER" (may not be a real label)."""
    canonical = text.upper().replace(" ", "")
    if not canonical.startswith("TLP:"):
        canonical = "TLP:" + canonical[3:].lstrip(":-")
    return canonical


def banner_problem(text: str, labels: tuple[str, ...]) -> str | None:
    """Why ``text`` may not print across a page (a watermark), or None: it must not hide what it
    says, nor read as a TLP label it is not (``labels``: the real ones)."""
    why = misleading(text)
    if why:
        return f"{text!r} contains {why}: type it again in plain letters"
    if looks_like_tlp(text) and tlp_canonical(text) not in labels:
        return (f"{text!r} reads as a TLP label but is not one of " + ", ".join(labels))
    return None
