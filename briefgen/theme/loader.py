"""Theme files: YAML that sets fields of the Theme dataclass, with ``parent:`` inheritance.

The reader is generic over ``dataclasses.fields(Theme)``: a field added to Theme can be set from
a theme file at once, checked by its type (number, colour, text, path, font family, list, nested
dataclass). The JSON Schema of a theme file (``briefgen schema theme``) comes from the same walk,
so the two cannot drift apart.

Rules (documented for theme authors in docs/themes.md):
- a theme file starts from its ``parent`` (a built-in theme name, or the path of another theme
  file relative to this one); without ``parent`` it starts from the built-in ``default``;
- paths (fonts, logo, reference DOCX) are relative to the folder of the file that names them,
  and must exist;
- a font family is a mapping of TTF faces (``regular`` required; a missing ``bold`` or
  ``italic`` uses ``regular``, a missing ``bold_italic`` uses ``bold``, else ``italic``, else
  ``regular``), or the name of a built-in family (DejaVu Serif, DejaVu Sans, DejaVu Sans Mono);
  a child theme that sets a family replaces the parent's family as a whole;
- an unknown key is an error, located and with a suggestion.
"""
from __future__ import annotations

import dataclasses
import re
import types
import typing
import zipfile
from pathlib import Path

from ..content.fields import did_you_mean, type_name
from ..content.yamlpos import PosDict, PosList, load_yaml
from ..errors import Problem
from ..fonts import ttf
from ..fonts.faces import BUILTIN_FAMILY_NAMES, FontFamily, builtin_family
from .model import PAPER_SIZES, Theme
from ..workspace_paths import display_path

THEME_SUFFIXES = (".yaml", ".yml")
META_KEYS = ("parent", "description")
DEFAULT_THEME = "default"
HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
FACES = ("regular", "bold", "italic", "bold_italic")
IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF87a": "GIF",
               b"GIF89a": "GIF"}
# Fields that hold a file path even if a renderer declares them as plain text.
PATH_FIELDS = ("logo", "reference_docx")
LIST_LENGTHS = {"heading_sizes": 6}  # one size per heading level
MAX_SIZE = 400.0  # points; what the renderers accept for a font size
MIN_TEXT = 72.0  # points of text width and height the margins must leave

# One line per field for the schema and for error messages; a field without one still loads.
FIELD_DOCS = {
    "paper": "Paper size: A4 or letter (the workspace's 'paper' setting and --paper win).",
    "margin_top": "Top page margin in points (72 pt = 1 inch = 25.4 mm).",
    "margin_bottom": "Bottom page margin in points.",
    "margin_left": "Left page margin in points.",
    "margin_right": "Right page margin in points.",
    "body_font": "Font family of body text.",
    "heading_font": "Font family of headings, cover, tables, header and footer.",
    "mono_font": "Font family of code.",
    "fallback_fonts": "Font families tried in order for characters the body/heading font lacks.",
    "body_size": "Body text size in points.",
    "leading": "Distance between body lines in points.",
    "heading_sizes": "Sizes of heading levels 1 to 6 in points.",
    "small_size": "Size of header, footer and table text in points.",
    "marking_size": "Size of the marking banner in points.",
    "logo": "Image (PNG, JPEG or GIF) printed on the cover.",
    "reference_docx": "A .docx whose styles and page setup the DOCX output starts from "
                      "(as pandoc's --reference-doc).",
}


@dataclasses.dataclass
class LoadedTheme:
    theme: Theme
    files: list[Path]  # every file the theme was read from: theme files, fonts, images, docx
    problems: list[Problem]


def builtin_themes_dir() -> Path:
    return Path(__file__).parent.parent / "themes"


def builtin_theme_names() -> list[str]:
    folder = builtin_themes_dir()
    return sorted(p.stem for p in folder.glob("*.yaml"))


def is_theme_path(ref: str) -> bool:
    return ref.endswith(THEME_SUFFIXES) or "/" in ref or "\\" in ref


# --- the fields of Theme, by type ----------------------------------------------------------------

def theme_fields() -> list[tuple[dataclasses.Field, object]]:
    """(field, type hint) for every init field of Theme, in declaration order."""
    hints = typing.get_type_hints(Theme)
    return [(f, hints[f.name]) for f in dataclasses.fields(Theme) if f.init]


def _field_default(f: dataclasses.Field):
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
        return f.default_factory()  # type: ignore[misc]
    return None


def _is_colour(name: str, default) -> bool:
    return (isinstance(default, str) and bool(HEX.match(default))) or \
        name.endswith(("_colour", "_color", "_fill"))


def _is_size(name: str) -> bool:
    return "size" in name or "leading" in name


def _split_optional(hint) -> tuple[object, bool]:
    """X | None -> (X, True); X -> (X, False)."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) < len(typing.get_args(hint)) and len(args) == 1:
            return args[0], True
    return hint, False


class _Reader:
    """Converts the values of one theme file, collecting problems at their lines."""

    def __init__(self, path: Path, problems: list[Problem], files: list[Path]):
        self.path = path
        self.shown = display_path(path)
        self.folder = path.parent
        self.problems = problems
        self.files = files

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(message, self.shown, line))

    def convert(self, name: str, hint, value, line: int, default=None):
        """The value for a field of type ``hint``, or raises _Bad after reporting."""
        hint, optional = _split_optional(hint)
        if value is None:
            if optional:
                return None
            self.problem(line, f"'{name}' needs a value")
            raise _Bad()
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
                except _Bad:
                    pass
            if len(out) < len(items):
                raise _Bad()
            want = LIST_LENGTHS.get(name)
            if want and len(out) != want:
                self.problem(line, f"'{name}' needs {want} values, not {len(out)}")
                raise _Bad()
            if origin is tuple and len(args) > 1 and args[1] is not Ellipsis \
                    and len(out) != len(args):
                self.problem(line, f"'{name}' needs exactly {len(args)} values")
                raise _Bad()
            return tuple(out) if origin is tuple else out
        if origin is typing.Literal:
            choices = typing.get_args(hint)
            if value not in choices:
                self.problem(line, f"'{name}' must be one of "
                                   f"{', '.join(str(c) for c in choices)}, not {value!r}"
                                   f"{did_you_mean(value, [str(c) for c in choices])}")
                raise _Bad()
            return value
        if origin is dict or hint is dict:
            if not isinstance(value, dict):
                self.problem(line, f"'{name}' must be a mapping, not {type_name(value)}")
                raise _Bad()
            return dict(value)
        if hint is Path or name in PATH_FIELDS:
            found = self.file(name, value, line)
            return found if hint is Path else str(found)
        if hint is bool:
            if not isinstance(value, bool):
                self.problem(line, f"'{name}' must be true or false, not {type_name(value)}")
                raise _Bad()
            return value
        if hint in (int, float):
            return self.number(name, hint, value, line)
        if hint is str:
            return self.text(name, value, line, default)
        return value  # a type this reader does not know: handed over as written

    def number(self, name: str, hint, value, line: int):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(line, f"'{name}' must be a number (points), not {type_name(value)}")
            raise _Bad()
        if hint is int and not float(value).is_integer():
            self.problem(line, f"'{name}' must be a whole number, not {value!r}")
            raise _Bad()
        positive = _is_size(name)
        if value < 0 or (positive and value == 0):
            self.problem(line, f"'{name}' must be {'more than' if positive else 'at least'} 0, "
                               f"not {value!r}")
            raise _Bad()
        if positive and value > MAX_SIZE:
            self.problem(line, f"'{name}' must be at most {MAX_SIZE:.0f} points, not {value!r}")
            raise _Bad()
        return hint(value)

    def text(self, name: str, value, line: int, default):
        if isinstance(value, (dict, list, bool)):
            self.problem(line, f"'{name}' must be text, not {type_name(value)}")
            raise _Bad()
        text = str(value).strip()
        if name == "paper":
            for size in PAPER_SIZES:
                if text.lower() == size.lower():
                    return size
            self.problem(line, f"'paper' must be {' or '.join(PAPER_SIZES)}, not '{text}'")
            raise _Bad()
        if _is_colour(name, default):
            if not HEX.match(text):
                self.problem(line, f"'{name}' must be a colour written #rrggbb (e.g. #14325C), "
                                   f"not '{text}'")
                raise _Bad()
            if len(text) == 4:
                text = "#" + "".join(c * 2 for c in text[1:])
            return text.upper()
        return text

    def file(self, name: str, value, line: int) -> Path:
        if not isinstance(value, str) or not value.strip():
            self.problem(line, f"'{name}' must be the path of a file, relative to this theme "
                               f"file, not {type_name(value)}")
            raise _Bad()
        path = Path(value.strip()).expanduser()
        if not path.is_absolute():
            path = self.folder / path
        if not path.is_file():
            self.problem(line, f"'{name}': no file {display_path(path)} (paths are relative to "
                               f"the theme file's folder, {display_path(self.folder) or '.'})")
            raise _Bad()
        check = _FILE_CHECKS.get(name)
        message = check(path) if check else None
        if message:
            self.problem(line, f"'{name}': {display_path(path)} {message}")
            raise _Bad()
        self.files.append(path)
        return path.resolve()

    def font_family(self, name: str, value, line: int) -> FontFamily:
        if isinstance(value, str):
            value = value.strip()
        if isinstance(value, str) and not value.lower().endswith(".ttf"):
            family = builtin_family(value)
            if family:
                return family
            self.problem(line, f"'{name}': '{value}' is neither a built-in family "
                               f"({', '.join(BUILTIN_FAMILY_NAMES)}"
                               f"{did_you_mean(value, BUILTIN_FAMILY_NAMES)}) nor a .ttf file")
            raise _Bad()
        if isinstance(value, str):
            value = {"regular": value}
        if not isinstance(value, dict):
            self.problem(line, f"'{name}' must be a mapping of TTF files (regular, bold, italic, "
                               f"bold_italic) or a built-in family name, not {type_name(value)}")
            raise _Bad()
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
            raise _Bad()
        faces: dict[str, Path] = {}
        for face in FACES:
            if value.get(face) is None:
                continue
            try:
                faces[face] = self.file(f"{name}.{face}", value[face], lines.get(face, line))
            except _Bad:
                ok = False
                continue
            problem = ttf.problem(faces[face])
            if problem:
                self.problem(lines.get(face, line), f"'{name}.{face}': "
                                                    f"{display_path(faces[face])} {problem}")
                ok = False
        if not ok:
            raise _Bad()
        regular = faces["regular"]
        bold = faces.get("bold", regular)
        italic = faces.get("italic", regular)
        bold_italic = faces.get("bold_italic") or faces.get("bold") or faces.get("italic") \
            or regular
        family = value.get("name")
        if family is not None and (not isinstance(family, str) or not family.strip()):
            self.problem(lines.get("name", line), f"'{name}.name' must be text")
            raise _Bad()
        family = family.strip() if family else \
            (ttf.family_name(regular.read_bytes()) or regular.stem)
        return FontFamily(family, regular, bold, italic, bold_italic)

    def nested(self, name: str, cls: type, value, line: int, default):
        if not isinstance(value, dict):
            self.problem(line, f"'{name}' must be a mapping, not {type_name(value)}")
            raise _Bad()
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
                                           getattr(base, key, None) if base else None)
            except _Bad:
                ok = False
        if not ok:
            raise _Bad()
        try:
            return dataclasses.replace(base, **values) if base else cls(**values)
        except TypeError as exc:
            self.problem(line, f"'{name}': {exc}")
            raise _Bad() from None


class _Bad(Exception):
    """A value was reported as a problem; the field keeps the parent's value."""


def _check_image(path: Path) -> str | None:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not any(head.startswith(magic) for magic in IMAGE_MAGIC):
        return "is not a PNG, JPEG or GIF image"
    from ..document.images import read_image
    found = read_image(path, ("PNG", "JPEG", "GIF"))
    return found if isinstance(found, str) else None


def _check_docx(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as z:
            if "word/styles.xml" not in z.namelist():
                return "is not a Word document: it has no word/styles.xml"
    except (zipfile.BadZipFile, OSError):
        return "is not a Word .docx file (not a zip archive)"
    return None


_FILE_CHECKS = {"logo": _check_image, "reference_docx": _check_docx}


# --- loading -------------------------------------------------------------------------------------

def _resolve(ref: str, relative_to: Path) -> Path | None:
    """A theme reference -> its file: a built-in name, or a path relative to ``relative_to``."""
    ref = ref.strip()
    if is_theme_path(ref):
        path = Path(ref).expanduser()
        return path if path.is_absolute() else relative_to / path
    builtin = builtin_themes_dir() / f"{ref}.yaml"
    return builtin if builtin.is_file() else None


def load_theme(ref: str, relative_to: Path, where: Problem | None = None,
               paper: str | None = None) -> LoadedTheme:
    """Load a theme by reference (built-in name or path); ``where`` locates the reference."""
    problems: list[Problem] = []
    files: list[Path] = []
    values: dict[str, object] = {}
    origins: dict[str, Problem] = {}
    _load_chain(ref or DEFAULT_THEME, relative_to, where, [], values, problems, files, origins)
    theme = Theme(**values) if not problems else Theme()
    if paper:
        theme = dataclasses.replace(theme, paper=paper)
    if not problems:
        problems += _room_for_text(theme, origins)
    return LoadedTheme(theme, files, problems)


def _room_for_text(theme: Theme, origins: dict[str, Problem]) -> list[Problem]:
    """The margins must leave some room for text on the paper in use."""
    width, height = PAPER_SIZES.get(theme.paper, PAPER_SIZES["A4"])
    problems = []
    for size, names in ((width, ("margin_left", "margin_right")),
                        (height, ("margin_top", "margin_bottom"))):
        a, b = (getattr(theme, n, 0) or 0 for n in names)
        if size - a - b < MIN_TEXT:
            where = origins.get(names[0]) or origins.get(names[1]) or Problem("")
            problems.append(Problem(f"{names[0]} and {names[1]} ({a:g} + {b:g} pt) leave less "
                                    f"than {MIN_TEXT:g} pt for the text on {theme.paper} paper "
                                    f"({size:g} pt)", where.path, where.line))
    return problems


def _not_found(ref: str, path: Path | None, where: Problem | None) -> Problem:
    if path is None:
        names = builtin_theme_names()
        message = (f"no built-in theme '{ref}'{did_you_mean(ref, names)}; built-in themes: "
                   f"{', '.join(names)}; or give the path of a theme file (ending in .yaml)")
    else:
        message = f"theme file {display_path(path)} does not exist"
    return Problem(message, where.path if where else None, where.line if where else None)


def _load_chain(ref: str, relative_to: Path, where: Problem | None, seen: list[Path],
                values: dict, problems: list[Problem], files: list[Path],
                origins: dict[str, Problem]) -> None:
    path = _resolve(ref, relative_to)
    if path is None or not path.is_file():
        problems.append(_not_found(ref, path, where))
        return
    key = path.resolve()
    if key in seen:
        chain = " -> ".join(display_path(p) for p in [*seen, key])
        problems.append(Problem(f"themes inherit from each other in a circle: {chain}",
                                where.path if where else None, where.line if where else None))
        return
    shown = display_path(path)
    data, found = load_yaml(str(path), shown)
    problems += found
    if data is None:
        return
    if not isinstance(data, dict):
        problems.append(Problem(f"a theme file must be a mapping of settings (paper, "
                                f"body_font, heading_colour, ...), not {type_name(data)}", shown,
                                getattr(data, "line", None)))
        return
    files.append(path)
    parent = data.get("parent")
    is_root = key == (builtin_themes_dir() / f"{DEFAULT_THEME}.yaml").resolve()
    if parent is not None and not isinstance(parent, str):
        problems.append(Problem(f"'parent' must be a theme name or the path of a theme file, "
                                f"not {type_name(parent)}", shown, data.line_of("parent")))
    elif parent or not is_root:
        _load_chain(parent or DEFAULT_THEME, path.parent,
                    Problem("", shown, data.line_of("parent") if parent else data.line),
                    [*seen, key], values, problems, files, origins)
    fields = {f.name: (f, hint) for f, hint in theme_fields()}
    reader = _Reader(path, problems, files)
    for name, value in data.items():
        line = data.line_of(name)
        if name == "description" and isinstance(value, (dict, list)):
            problems.append(Problem(f"'description' must be text, not {type_name(value)}",
                                    shown, line))
        if name in META_KEYS:
            continue
        if name not in fields:
            known = list(fields) + list(META_KEYS)
            problems.append(Problem(f"unknown theme key '{name}'{did_you_mean(name, known)}; "
                                    "see docs/themes.md or `briefgen schema theme` for the keys",
                                    shown, line))
            continue
        f, hint = fields[name]
        default = values.get(name, _field_default(f))
        try:
            values[name] = reader.convert(name, hint, value, line, default)
            origins[name] = Problem("", shown, line)
        except _Bad:
            pass


def workspace_theme(root: Path, ref: str, where: Problem | None = None,
                    paper: str | None = None) -> LoadedTheme:
    """The theme a workspace's settings name (a built-in name, or a path from the root)."""
    return load_theme(ref or DEFAULT_THEME, root, where, paper)


# --- JSON Schema ---------------------------------------------------------------------------------

def _type_schema(name: str, hint, default) -> dict:
    hint, optional = _split_optional(hint)
    schema = _plain_schema(name, hint, default)
    if optional:
        return {"anyOf": [schema, {"type": "null"}]}
    return schema


def _family_schema() -> dict:
    face = {"type": "string", "pattern": r"\.[tT][tT][fF]\s*$"}
    def loose(word: str) -> str:  # as the loader compares: any case, spaces/-/_ ignored
        return "[\\s_-]*".join(f"[{c.lower()}{c.upper()}]" for c in word.replace(" ", ""))

    names = "|".join(loose(n) for n in BUILTIN_FAMILY_NAMES)
    return {"anyOf": [
        {"type": "string", "pattern": f"^[\\s_-]*({names}|.*\\.[tT][tT][fF])[\\s_-]*$",
         "description": "A built-in family (" + ", ".join(BUILTIN_FAMILY_NAMES) +
                        ") or one .ttf file for all faces."},
        {"type": "object", "additionalProperties": False, "required": ["regular"],
         "properties": {"name": {"type": "string", "minLength": 1,
                                 "description": "Family name Word shows (default: read from "
                                                "the regular face)."},
                        **{f: {**face, "description": f"The {f.replace('_', '-')} face: a "
                               ".ttf path relative to the theme file."} for f in FACES}}},
    ]}


def _plain_schema(name: str, hint, default) -> dict:
    origin = typing.get_origin(hint)
    if hint is FontFamily:
        return _family_schema()
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = typing.get_type_hints(hint)
        return {"type": "object", "additionalProperties": False,
                "properties": {f.name: _type_schema(f.name, hints[f.name], None)
                               for f in dataclasses.fields(hint) if f.init}}
    if origin in (tuple, list):
        args = typing.get_args(hint)
        item = _type_schema(name, args[0] if args else str, None)
        array = {"type": "array", "items": item}
        if origin is tuple and len(args) > 1 and args[1] is not Ellipsis:
            array.update(minItems=len(args), maxItems=len(args))
        if name in LIST_LENGTHS:
            return {**array, "minItems": LIST_LENGTHS[name], "maxItems": LIST_LENGTHS[name]}
        return {"anyOf": [item, array]}
    if origin is typing.Literal:
        return {"enum": list(typing.get_args(hint))}
    if origin is dict or hint is dict:
        return {"type": "object"}
    if hint is Path or name in PATH_FIELDS:
        return {"type": "string", "minLength": 1}
    if hint is bool:
        return {"type": "boolean"}
    if hint in (int, float):
        number = {"type": "integer" if hint is int else "number"}
        if _is_size(name):
            return {**number, "exclusiveMinimum": 0, "maximum": MAX_SIZE}
        return {**number, "minimum": 0}
    if hint is str:
        if name == "paper":
            return {"type": "string", "pattern": "^\\s*(" + "|".join(
                "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c)
                        for c in size) for size in PAPER_SIZES) + ")\\s*$"}
        if _is_colour(name, default):
            return {"type": "string", "pattern": r"^\s*#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\s*$"}
        return {"type": ["string", "number"]}
    return {}


def theme_schema() -> dict:
    properties: dict[str, dict] = {
        "parent": {"type": "string", "minLength": 1,
                   "description": "Theme to start from: a built-in name (" +
                   ", ".join(builtin_theme_names()) + ") or a theme file path relative to "
                   "this file. Default: default."},
        "description": {"type": ["string", "number", "boolean", "null"],
                        "description": "What this theme is for."},
    }
    for f, hint in theme_fields():
        schema = _type_schema(f.name, hint, _field_default(f))
        doc = f.metadata.get("doc") or FIELD_DOCS.get(f.name)
        if not doc and _is_colour(f.name, _field_default(f)):
            doc = f"Colour #rrggbb ({f.name.replace('_', ' ')})."
        if doc:
            schema = {**schema, "description": doc}
        properties[f.name] = schema
    return {"type": "object", "additionalProperties": False, "properties": properties}
