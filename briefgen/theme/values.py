"""The values of one theme file, converted by the type of the Theme field they set, with each
problem reported at its line."""
from __future__ import annotations

import dataclasses
import math
import re
import typing
from pathlib import Path

from ..content.fields import did_you_mean, type_name
from ..content.yamlpos import PosDict, PosList
from ..errors import Problem
from ..fonts import ttf
from ..fonts.faces import BUILTIN_FAMILY_NAMES, CJK_INSTALL, FontFamily, builtin_family
from ..workspace_paths import display_path, leads_outside
from .fields import (FACES, HEX, LIST_LENGTHS, MAX_SIZE, MIN_SIZE, PATH_FIELDS, is_colour,
                     is_size,
                     split_optional)
from .files import FILE_CHECKS
from .model import PAPER_SIZES


class Reader:
    """Converts the values of one theme file, collecting problems at their lines."""

    def __init__(self, path: Path, problems: list[Problem], files: list[Path],
                 inside: Path | None = None):
        self.path = path
        self.shown = display_path(path)
        self.folder = path.parent
        self.inside = inside or path.parent  # the folder relative file names must stay in
        self.problems = problems
        self.files = files

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(message, self.shown, line))

    def convert(self, name: str, hint, value, line: int, default=None, empty: str = ""):
        """The value for a field of type ``hint``, or raises Bad after reporting; ``empty``
        is added to the message about a missing value (a '#' that made it a comment)."""
        hint, optional = split_optional(hint)
        if value is None:
            if optional:
                return None
            self.problem(line, f"'{name}' needs a value{empty}")
            raise Bad()
        origin = typing.get_origin(hint)
        if hint is FontFamily:
            return self.font_family(name, value, line)
        if dataclasses.is_dataclass(hint) and isinstance(hint, type):
            return self.nested(name, hint, value, line, default)
        if origin in (tuple, list):
            args = typing.get_args(hint)
            item_hint = args[0] if args else str
            items = value if isinstance(value, list) else [value]
            out = []
            for i, item in enumerate(items):
                item_line = items.line_of(i) if isinstance(items, PosList) else line
                try:
                    out.append(self.convert(f"{name}[{i + 1}]", item_hint, item, item_line))
                except Bad:
                    pass
            if len(out) < len(items):
                raise Bad()
            want = LIST_LENGTHS.get(name)
            if want and len(out) != want:
                self.problem(line, f"'{name}' needs {want} values, not {len(out)}")
                raise Bad()
            if origin is tuple and len(args) > 1 and args[1] is not Ellipsis \
                    and len(out) != len(args):
                self.problem(line, f"'{name}' needs exactly {len(args)} values")
                raise Bad()
            return tuple(out) if origin is tuple else out
        if origin is typing.Literal:
            choices = typing.get_args(hint)
            if value not in choices:
                self.problem(line, f"'{name}' must be one of "
                                   f"{', '.join(str(c) for c in choices)}, not {value!r}"
                                   f"{did_you_mean(value, [str(c) for c in choices])}")
                raise Bad()
            return value
        if origin is dict or hint is dict:
            if not isinstance(value, dict):
                self.problem(line, f"'{name}' must be a mapping, not {type_name(value)}")
                raise Bad()
            return dict(value)
        if hint is Path or name in PATH_FIELDS:
            found = self.file(name, value, line)
            return found if hint is Path else str(found)
        if hint is bool:
            if not isinstance(value, bool):
                self.problem(line, f"'{name}' must be true or false, not {type_name(value)}")
                raise Bad()
            return value
        if hint in (int, float):
            return self.number(name, hint, value, line)
        if hint is str:
            return self.text(name, value, line, default)
        return value  # a type this reader does not know: handed over as written

    def number(self, name: str, hint, value, line: int):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(line, f"'{name}' must be a number (points), not {type_name(value)}")
            raise Bad()
        if hint is int and not float(value).is_integer():
            self.problem(line, f"'{name}' must be a whole number, not {value!r}")
            raise Bad()
        if not math.isfinite(value):  # .nan and .inf read as numbers, and compare as nothing
            self.problem(line, f"'{name}' must be a number of points, not {value!r}")
            raise Bad()
        if is_size(name):
            if not MIN_SIZE <= value <= MAX_SIZE:
                self.problem(line, f"'{name}' must be from {MIN_SIZE:g} to {MAX_SIZE:g} points "
                                   f"(the font sizes both renderers accept), not {value!r}")
                raise Bad()
        elif value < 0:
            self.problem(line, f"'{name}' must be at least 0, not {value!r}")
            raise Bad()
        return hint(value)

    def text(self, name: str, value, line: int, default):
        if isinstance(value, (dict, list, bool)):
            self.problem(line, f"'{name}' must be text, not {type_name(value)}")
            raise Bad()
        text = str(value).strip()
        if name == "paper":
            for size in PAPER_SIZES:
                if text.lower() == size.lower():
                    return size
            self.problem(line, f"'paper' must be {' or '.join(PAPER_SIZES)}, not '{text}'")
            raise Bad()
        if is_colour(name, default):
            if not HEX.match(text):
                self.problem(line, f"'{name}' must be a colour written #rrggbb (e.g. #14325C), "
                                   f"not '{text}'")
                raise Bad()
            if len(text) == 4:
                text = "#" + "".join(c * 2 for c in text[1:])
            return text.upper()
        return text

    def file(self, name: str, value, line: int) -> Path:
        if not isinstance(value, str) or not value.strip():
            self.problem(line, f"'{name}' must be the path of a file, relative to this theme "
                               f"file, not {type_name(value)}")
            raise Bad()
        path = Path(value.strip()).expanduser()
        if not path.is_absolute():  # an absolute path names a shared house file on purpose
            path = self.folder / path
            why = leads_outside(path, self.inside)
            if why:
                self.problem(line, f"'{name}' refused: {why}; or give the absolute path of a "
                                   "shared file on purpose")
                raise Bad()
        if not path.is_file():
            self.problem(line, f"'{name}': no file {display_path(path)} (paths are relative to "
                               f"the theme file's folder, {display_path(self.folder) or '.'})")
            raise Bad()
        check = FILE_CHECKS.get(name)
        message = check(path) if check else None
        if message:
            self.problem(line, f"'{name}': {display_path(path)} {message}")
            raise Bad()
        self.files.append(path)
        return path.resolve()

    def font_family(self, name: str, value, line: int) -> FontFamily:
        if isinstance(value, str):
            value = value.strip()
        if isinstance(value, str) and not value.lower().endswith(".ttf"):
            family = builtin_family(value)
            if family:
                return family
            if re.sub(r"[\s_-]", "", value.lower()) == "notosanssc":
                self.problem(line, f"'{name}': 'Noto Sans SC' comes with the cjk extra, which is "
                                   f"not installed: {CJK_INSTALL}")
                raise Bad()
            self.problem(line, f"'{name}': '{value}' is neither a built-in family "
                               f"({', '.join(BUILTIN_FAMILY_NAMES)}"
                               f"{did_you_mean(value, BUILTIN_FAMILY_NAMES)}) nor a .ttf file")
            raise Bad()
        if isinstance(value, str):
            value = {"regular": value}
        if not isinstance(value, dict):
            self.problem(line, f"'{name}' must be a mapping of TTF files (regular, bold, italic, "
                               f"bold_italic) or a built-in family name, not {type_name(value)}")
            raise Bad()
        lines = value.lines if isinstance(value, PosDict) else {}
        ok = True
        for key in value:
            if key not in ("name", *FACES):
                self.problem(lines.get(key, line), f"unknown key '{key}' in font family '{name}'"
                             f"{did_you_mean(key, ('name', *FACES))}: use name, "
                             f"{', '.join(FACES)}")
                ok = False
        if not value.get("regular"):
            self.problem(line, f"font family '{name}' needs a 'regular' face (a .ttf file)")
            raise Bad()
        faces: dict[str, Path] = {}
        for face in FACES:
            if value.get(face) is None:
                continue
            try:
                faces[face] = self.file(f"{name}.{face}", value[face], lines.get(face, line))
            except Bad:
                ok = False
                continue
            problem = ttf.problem(faces[face])
            if problem:
                self.problem(lines.get(face, line), f"'{name}.{face}': "
                                                    f"{display_path(faces[face])} {problem}")
                ok = False
        if not ok:
            raise Bad()
        regular = faces["regular"]
        bold = faces.get("bold", regular)
        italic = faces.get("italic", regular)
        bold_italic = faces.get("bold_italic") or faces.get("bold") or faces.get("italic") \
            or regular
        family = value.get("name")
        if family is not None and (not isinstance(family, str) or not family.strip()):
            self.problem(lines.get("name", line), f"'{name}.name' must be text")
            raise Bad()
        family = family.strip() if family else \
            (ttf.family_name(regular.read_bytes()) or regular.stem)
        return FontFamily(family, regular, bold, italic, bold_italic)

    def nested(self, name: str, cls: type, value, line: int, default):
        if not isinstance(value, dict):
            self.problem(line, f"'{name}' must be a mapping, not {type_name(value)}")
            raise Bad()
        hints = typing.get_type_hints(cls)
        known = [f.name for f in dataclasses.fields(cls) if f.init]
        lines = value.lines if isinstance(value, PosDict) else {}
        base = default if isinstance(default, cls) else None
        values = {}
        ok = True
        for key, item in value.items():
            if key not in known:
                self.problem(lines.get(key, line), f"unknown key '{key}' in '{name}'"
                             f"{did_you_mean(key, known)}; known: {', '.join(known)}")
                ok = False
                continue
            try:
                values[key] = self.convert(f"{name}.{key}", hints[key], item,
                                           lines.get(key, line),
                                           getattr(base, key, None) if base else None,
                                           value.comment_hint(key)
                                           if isinstance(value, PosDict) else "")
            except Bad:
                ok = False
        if not ok:
            raise Bad()
        try:
            return dataclasses.replace(base, **values) if base else cls(**values)
        except TypeError as exc:
            self.problem(line, f"'{name}': {exc}")
            raise Bad() from None






class Bad(Exception):
    """A value was reported as a problem; the field keeps the parent's value."""
