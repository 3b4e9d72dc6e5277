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

Here: following ``parent:`` and checking the result. Finding theme files: files.py; the Theme
fields by type: fields.py; converting values: values.py; the JSON Schema: schema.py.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

from ..content.fields import did_you_mean, type_name
from ..content.yamlpos import load_yaml
from ..errors import Problem
from ..workspace_paths import display_path, leads_outside
from .fields import field_default, theme_fields
from .files import (DEFAULT_THEME, builtin_theme_names, builtin_themes_dir, is_theme_path,
                    not_found, resolve_ref)
from .model import PAPER_SIZES, Theme, with_paper
from .schema import theme_schema
from .values import Bad, Reader

# builtin_theme_names and theme_schema stay importable from here, where callers outside the
# theme stage (content/schema.py, tests) know them from.
__all__ = ["LoadedTheme", "builtin_theme_names", "load_theme", "theme_fields", "theme_schema",
           "workspace_theme"]

META_KEYS = ("parent", "description")
# Each step of a chain is a recursion; a house style needs a handful, not hundreds.
MAX_PARENTS = 20
# points of text width and height the margins must leave: the PDF renderer's limit
MIN_TEXT = 144.0
# A font size may be at most this part of the text area's smaller side (headings, other text):
# a 400 pt heading on A4 makes a title tens of pages tall that no page can hold, and text at
# more than an eighth leaves no room for a figure. Both were tried on the sample briefs.
SIZE_PARTS = (6, 8)


@dataclasses.dataclass
class LoadedTheme:
    theme: Theme
    files: list[Path]  # every file the theme was read from: theme files, fonts, images, docx
    problems: list[Problem]


def load_theme(ref: str, relative_to: Path, where: Problem | None = None,
               paper: str | None = None) -> LoadedTheme:
    """Load a theme by reference (built-in name or path); ``where`` locates the reference."""
    problems: list[Problem] = []
    files: list[Path] = []
    values: dict[str, object] = {}
    origins: dict[str, Problem] = {}
    _load_chain(ref or DEFAULT_THEME, relative_to, where, [], values, problems, files, origins,
                relative_to)
    theme = Theme(**values) if not problems else Theme()
    if paper:
        theme = with_paper(theme, paper)
    if not problems:
        problems += _room_for_text(theme, origins)
    if not problems:
        problems += _sizes_fit(theme, origins)
    return LoadedTheme(theme, files, problems)


def _sizes_fit(theme: Theme, origins: dict[str, Problem]) -> list[Problem]:
    width, height = PAPER_SIZES.get(theme.paper, PAPER_SIZES["A4"])
    area = min(width - theme.margin_left - theme.margin_right,
               height - theme.margin_top - theme.margin_bottom)
    problems = []
    for name in ("body_size", "leading", "small_size", "marking_size", "heading_sizes"):
        limit = area / SIZE_PARTS[0 if name == "heading_sizes" else 1]
        value = getattr(theme, name)
        largest = max(value) if isinstance(value, (tuple, list)) else value
        if largest > limit:
            where = origins.get(name) or Problem("")
            problems.append(Problem(f"'{name}' ({largest:g} pt) is too large for a text area "
                                    f"whose smaller side is {area:.0f} pt on {theme.paper} paper: "
                                    f"at most {limit:.0f} pt fits; make it smaller or the "
                                    "margins narrower", where.path, where.line))
    return problems


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


def _load_chain(ref: str, relative_to: Path, where: Problem | None, seen: list[Path],
                values: dict, problems: list[Problem], files: list[Path],
                origins: dict[str, Problem], inside: Path) -> None:
    """``inside``: the folder that a relative path in the referring file must stay in (the
    workspace, for the settings and the workspace's themes). An absolute path names a shared
    house theme on purpose: its own relative paths must then stay in its folder."""
    path = resolve_ref(ref, relative_to)
    if path is None or not path.is_file():
        problems.append(not_found(ref, path, where))
        return
    if not is_theme_path(ref):
        inside = builtin_themes_dir()
    elif Path(ref.strip()).expanduser().is_absolute():
        inside = path.parent
    else:
        why = leads_outside(path, inside)
        if why:
            problems.append(Problem(f"theme file refused: {why}; or give the absolute path of "
                                    "a shared house theme on purpose",
                                    where.path if where else None, where.line if where else None))
            return
    key = path.resolve()
    if len(seen) >= MAX_PARENTS:
        problems.append(Problem(f"a theme inherits through more than {MAX_PARENTS} theme files "
                                "(parent of parent of ...): start a theme from a built-in one "
                                "or from a theme file closer to it", where.path if where else None,
                                where.line if where else None))
        return
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
        what = "text" if isinstance(data, str) else type_name(data)  # not the file's text
        problems.append(Problem(f"a theme file must be a mapping of settings (paper, "
                                f"body_font, heading_colour, ...), not {what}: is it a theme "
                                "file?", shown,
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
                    [*seen, key], values, problems, files, origins, inside)
    fields = {f.name: (f, hint) for f, hint in theme_fields()}
    reader = Reader(path, problems, files, inside)
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
        default = values.get(name, field_default(f))
        try:
            values[name] = reader.convert(name, hint, value, line, default,
                                          data.comment_hint(name))
            origins[name] = Problem("", shown, line)
        except Bad:
            pass


def workspace_theme(root: Path, ref: str, where: Problem | None = None,
                    paper: str | None = None) -> LoadedTheme:
    """The theme a workspace's settings name (a built-in name, or a path from the root)."""
    return load_theme(ref or DEFAULT_THEME, root, where, paper)
