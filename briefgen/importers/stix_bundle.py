"""Reading a STIX 2.1 bundle: JSON with the line of each object, checked to be a bundle of
STIX 2.1 objects whose references stay inside it."""
from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import BriefgenError, Problem
from ..workspace_paths import display_path
from .tabular import decode_utf8

_ID = re.compile(r'"id"\s*:\s*"([^"\\]+)"')
STIX_ID = re.compile(r"^([a-z][a-z0-9-]*)--[0-9a-fA-F-]{36}$")


@dataclass
class Bundle:
    shown: str
    objects: dict[str, dict]  # STIX id -> object, in the bundle's order
    lines: dict[str, int]  # STIX id -> the line of its "id"

    def line(self, stix_id: str) -> int:
        return self.lines.get(stix_id, 1)


def read_bundle(path: Path, problems: list[Problem]) -> Bundle:
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BriefgenError(f"cannot read the file: {exc.strerror or exc}; check the name",
                            shown) from None
    text = decode_utf8(data, shown)
    try:
        bundle = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BriefgenError(f"not valid JSON ({exc.msg} at column {exc.colno}): a STIX bundle "
                            "is a JSON file; export it again", shown, exc.lineno) from None
    if not isinstance(bundle, dict) or bundle.get("type") != "bundle" or \
            not isinstance(bundle.get("objects"), list):
        raise BriefgenError("not a STIX bundle: the file must be a JSON object with "
                            '"type": "bundle" and a list of "objects"', shown, 1)
    if bundle.get("spec_version") not in (None, "2.1"):
        raise BriefgenError(f"a STIX {bundle['spec_version']} bundle: briefgen reads STIX 2.1; "
                            "export the bundle as STIX 2.1", shown, _line_of(text, "spec_version"))
    starts = [m.start() for m in re.finditer("\n", text)]
    lines = {}
    for m in _ID.finditer(text):
        lines.setdefault(m.group(1), bisect.bisect_left(starts, m.start()) + 1)
    objects = {}
    for n, obj in enumerate(bundle["objects"], 1):
        stix_id = obj.get("id") if isinstance(obj, dict) else None
        if not isinstance(stix_id, str) or not STIX_ID.match(stix_id):
            problems.append(Problem(f"object {n} of the bundle has no valid STIX id "
                                    "(type--uuid): every STIX object has one", shown))
            continue
        line = lines.get(stix_id, 1)
        if obj.get("spec_version") != "2.1" and obj.get("type") != "marking-definition":
            problems.append(Problem(f"{stix_id} is not a STIX 2.1 object (spec_version "
                                    f"{obj.get('spec_version')!r}): export the bundle as STIX "
                                    "2.1", shown, line))
            continue
        if stix_id in objects:
            problems.append(Problem(f"{stix_id} comes twice in the bundle (first at line "
                                    f"{lines[stix_id]}): keep one version of it", shown, line))
            continue
        objects[stix_id] = obj
    return Bundle(shown, objects, lines)


def _line_of(text: str, key: str) -> int:
    at = text.find(f'"{key}"')
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def stix_date(value: object) -> str | None:
    """The day of a STIX timestamp (2024-03-04T10:00:00Z), or None when it is not one."""
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d{2}-\d{2}(T|$)", value):
        return None
    return value[:10]
