"""A STIX 2.1 bundle -> actors (threat actors, intrusion sets, identities, campaigns) with their
relations, developments (reports, campaigns, sightings) and sources (external references, the
objects' creators). The mapping is documented in README.md ("Importing data")."""
from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

from ..content.dates import FuzzyDate
from ..content.models import TLP_LABELS
from ..errors import Problem
from .items import Imported, Item, one_line, plain_markdown, slugify
from .stix_bundle import Bundle, read_bundle, stix_date

ACTOR_TYPES = ("threat-actor", "intrusion-set", "identity", "campaign")
_THREAT_ACTOR_KINDS = {"nation-state": "state", "terrorist": "armed-group",
                       "activist": "movement", "crime-syndicate": "organisation",
                       "criminal": "organisation", "competitor": "organisation"}
_IDENTITY_KINDS = {"organization": "organisation", "individual": "person"}
# the TLP 1.0 marking definitions STIX 2.1 defines by id: bundles refer to them without them
TLP_IDS = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": "TLP:CLEAR",
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": "TLP:GREEN",
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": "TLP:AMBER",
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": "TLP:RED",
}
_REF_LISTS = ("object_refs", "where_sighted_refs", "object_marking_refs")
_REFS = ("source_ref", "target_ref", "sighting_of_ref", "created_by_ref")
# objects that only describe others, and what briefgen has no place for, reported once per type
_QUIET = {"marking-definition", "extension-definition", "language-content"}


def item_id(stix_id: str) -> str:
    kind, uuid = stix_id.split("--", 1)
    return f"stix-{kind}-{uuid.replace('-', '')[:12].lower()}"


def import_stix(path: Path) -> Imported:
    problems: list[Problem] = []
    bundle = read_bundle(path, problems)
    out = Imported("stix", bundle.shown, problems=problems)
    _check_refs(bundle, out.problems)
    if out.problems:
        return out
    sources: dict[str, Item] = {}
    actors: dict[str, Item] = {}
    skipped: Counter = Counter()
    for stix_id, obj in bundle.objects.items():
        if obj["type"] in ACTOR_TYPES:
            actors[stix_id] = _actor(bundle, obj, sources)
            _mark(actors[stix_id].data, marking(bundle, obj, out.warnings))
    for stix_id, obj in bundle.objects.items():
        kind = obj["type"]
        if kind == "relationship":
            _relation(bundle, obj, actors, sources, out)
        elif kind in ("report", "sighting") or (kind == "campaign" and obj.get("first_seen")):
            dev = _development(bundle, obj, actors, sources)
            _mark(dev.data, marking(bundle, obj, out.warnings))
            out.items.append(dev)
        elif kind not in ACTOR_TYPES and kind not in _QUIET:
            skipped[kind] += 1
    for kind, count in sorted(skipped.items()):
        out.warnings.append(Problem(
            f"{count} {kind} object{'s' if count > 1 else ''} not imported: briefgen keeps "
            "actors, their relations, developments and sources only", bundle.shown))
    out.items += list(actors.values()) + list(sources.values())
    return out


def _check_refs(bundle: Bundle, problems: list[Problem]) -> None:
    for stix_id, obj in bundle.objects.items():
        refs = [(key, obj.get(key)) for key in _REFS if obj.get(key) is not None]
        refs += [(key, ref) for key in _REF_LISTS for ref in obj.get(key) or ()]
        for key, ref in refs:
            if ref not in bundle.objects and ref not in TLP_IDS:
                problems.append(Problem(
                    f"{stix_id}: '{key}' refers to {ref}, which is not in the bundle: export "
                    "the bundle with the objects it refers to", bundle.shown, bundle.line(stix_id)))


def _text(obj: dict, key: str) -> str:
    value = obj.get(key)
    return value.strip() if isinstance(value, str) else ""


def _summary(obj: dict, fallback: str) -> str:
    description = _text(obj, "description")
    return plain_markdown(description) if description else fallback


def _source_refs(bundle: Bundle, obj: dict, sources: dict[str, Item]) -> list[str]:
    """Source ids for the object's creator and external references, each source made once."""
    ids = []
    creator = obj.get("created_by_ref")
    if creator:
        ident = bundle.objects[creator]
        name = one_line(_text(ident, "name")) or creator
        key = f"creator:{creator}"
        if key not in sources:
            sources[key] = Item("sources", {
                "id": item_id(creator), "upstream_id": creator, "title": f"{name} (STIX)",
                "publisher": name, "kind": "threat intelligence"}, bundle.line(creator))
        ids.append(sources[key].id)
    for ref in obj.get("external_references") or ():
        if not isinstance(ref, dict) or not (ref.get("url") or ref.get("external_id")
                                             or ref.get("source_name")):
            continue
        name = one_line(str(ref.get("source_name") or ""))
        ext = one_line(str(ref.get("external_id") or ""))
        url = one_line(str(ref.get("url") or ""))
        upstream = f"{name}:{ext}" if ext else url or name
        key = f"ref:{upstream}"
        if key not in sources:
            digest = hashlib.sha1(upstream.encode("utf-8")).hexdigest()[:10]
            data = {"id": f"stix-ref-{digest}", "upstream_id": upstream,
                    "title": one_line(str(ref.get("description") or "")) or
                    " ".join(p for p in (name, ext) if p) or url}
            if name:
                data["publisher"] = name
            if url:
                data["url"] = url
            sources[key] = Item("sources", data, bundle.line(obj["id"]))
        if sources[key].id not in ids:
            ids.append(sources[key].id)
    return ids


def _actor(bundle: Bundle, obj: dict, sources: dict[str, Item]) -> Item:
    kind = obj["type"]
    if kind == "threat-actor":
        types = obj.get("threat_actor_types") or []
        actor_kind = next((_THREAT_ACTOR_KINDS[t] for t in types if t in _THREAT_ACTOR_KINDS),
                          "other")
    elif kind == "identity":
        actor_kind = _IDENTITY_KINDS.get(obj.get("identity_class"), "other")
    elif kind == "intrusion-set":
        actor_kind = "organisation"
    else:
        actor_kind = "other"
    name = one_line(_text(obj, "name")) or obj["id"]
    data = {"id": item_id(obj["id"]), "upstream_id": obj["id"], "name": name,
            "kind": actor_kind,
            "summary": _summary(obj, f"{_article(kind)} {kind.replace('-', ' ')} in a STIX "
                                     "bundle.")}
    aliases = [one_line(a) for a in obj.get("aliases") or () if isinstance(a, str)
               and one_line(a) and one_line(a) != name]
    if aliases:
        data["aliases"] = aliases
    roles = [r for r in obj.get("roles") or () if isinstance(r, str)]
    if roles:
        data["role"] = ", ".join(roles)
    refs = _source_refs(bundle, obj, sources)
    if refs:
        data["sources"] = refs
    return Item("actors", data, bundle.line(obj["id"]))


def _mark(data: dict, label: str) -> None:
    """Give ``data`` the marking ``label`` unless it has a more restrictive one."""
    order = ("",) + TLP_LABELS
    if order.index(label) > order.index(data.get("marking", "")):
        data["marking"] = label


_TLP_WORDS = {"white": "TLP:CLEAR", "clear": "TLP:CLEAR", "green": "TLP:GREEN",
              "amber": "TLP:AMBER", "amber+strict": "TLP:AMBER+STRICT", "red": "TLP:RED"}


def _tlp(word: object) -> str | None:
    if not isinstance(word, str):
        return None
    word = word.strip().lower()
    word = word[4:] if word.startswith("tlp:") else word
    return _TLP_WORDS.get(word)


def _definition_label(definition: dict) -> str | None:
    """The TLP label of a marking-definition object: TLP 1.0 (definition_type tlp), TLP 2.0
    (the extension's tlp_2_0), or a name such as TLP:AMBER+STRICT."""
    inner = definition.get("definition")
    if definition.get("definition_type") == "tlp" and isinstance(inner, dict):
        return _tlp(inner.get("tlp"))
    for extension in (definition.get("extensions") or {}).values():
        if isinstance(extension, dict) and extension.get("tlp_2_0"):
            return _tlp(extension["tlp_2_0"])
    return _tlp(definition.get("name"))


def marking(bundle: Bundle, obj: dict, warnings: list[Problem]) -> str:
    """The most restrictive TLP label of the object's markings and MISP-style 'tlp:' labels."""
    found = [_tlp(label) for label in obj.get("labels") or ()
             if isinstance(label, str) and label.lower().startswith("tlp:")]
    for ref in obj.get("object_marking_refs") or ():
        label = TLP_IDS.get(ref) or _definition_label(bundle.objects.get(ref, {}))
        if label is None:
            warnings.append(Problem(
                f"{obj['id']}: the marking {ref} is not a TLP marking and is not imported: "
                "mark the item by hand if it restricts sharing", bundle.shown,
                bundle.line(obj["id"])))
        found.append(label)
    return max((label for label in found if label), key=TLP_LABELS.index, default="")


def _article(word: str) -> str:
    return "An" if word[0] in "aeiou" else "A"


def _relation(bundle: Bundle, obj: dict, actors: dict[str, Item], sources, out) -> None:
    source, target = obj.get("source_ref"), obj.get("target_ref")
    if source not in actors or target not in actors:
        types = sorted({bundle.objects[r]["type"] for r in (source, target) if r in bundle.objects
                        and r not in actors})
        out.warnings.append(Problem(
            f"{obj['id']} ({obj.get('relationship_type')}) not imported: it relates "
            f"{' and '.join(types) or 'nothing'} objects, and briefgen keeps relations between "
            "actors only", bundle.shown, bundle.line(obj["id"])))
        return
    words = one_line(str(obj.get("relationship_type") or "related-to")).replace("-", " ")
    relation = {"actor": actors[target].id, "type": words}
    since = stix_date(obj.get("start_time"))
    if since:
        relation["since"] = since
    note = _text(obj, "description")
    until = stix_date(obj.get("stop_time"))
    if until:
        try:
            until = f"Until {FuzzyDate.parse(until).long()}."
        except ValueError as exc:
            out.problems.append(Problem(f"{obj['id']}: stop_time: {exc}", bundle.shown,
                                        bundle.line(obj["id"])))
            until = ""
    note = " ".join(p for p in (plain_markdown(note) if note else "", until) if p)
    if note:
        relation["note"] = note
    refs = _source_refs(bundle, obj, sources)
    if refs:
        relation["sources"] = refs
    actors[source].data.setdefault("relations", []).append(relation)
    # a relation has no marking of its own: the actor that holds it prints it
    _mark(actors[source].data, marking(bundle, obj, out.warnings))


def _development(bundle: Bundle, obj: dict, actors: dict[str, Item], sources) -> Item:
    kind = obj["type"]
    line = bundle.line(obj["id"])
    if kind == "report":
        date, end = stix_date(obj.get("published")), None
        title = one_line(_text(obj, "name")) or "Report"
        involved = [r for r in obj.get("object_refs") or () if r in actors]
    elif kind == "campaign":
        date, end = stix_date(obj.get("first_seen")), stix_date(obj.get("last_seen"))
        title = f"Campaign: {one_line(_text(obj, 'name')) or obj['id']}"
        involved = [obj["id"]]
    else:
        date = stix_date(obj.get("first_seen")) or stix_date(obj.get("created"))
        end = stix_date(obj.get("last_seen"))
        of = bundle.objects.get(obj.get("sighting_of_ref"), {})
        title = f"Sighting of {one_line(_text(of, 'name')) or obj.get('sighting_of_ref')}"
        involved = [r for r in [obj.get("sighting_of_ref")] + list(obj.get("where_sighted_refs")
                                                                   or ()) if r in actors]
    fallback = f"From a STIX {kind}."
    if kind == "sighting" and isinstance(obj.get("count"), int):
        fallback = f"Sighted {obj['count']} time{'s' if obj['count'] != 1 else ''}."
    data = {"id": item_id(obj["id"]), "upstream_id": obj["id"], "date": date or "",
            "title": title, "summary": _summary(obj, fallback)}
    if end and end != date:
        data["end"] = end
    if involved:
        data["actors"] = [actors[r].id for r in dict.fromkeys(involved)]
    labels = [slugify(x) for x in obj.get("labels") or () if isinstance(x, str)
              and not x.lower().startswith("tlp:")]
    if labels:
        data["tags"] = list(dict.fromkeys(labels))
    refs = _source_refs(bundle, obj, sources)
    if refs:
        data["sources"] = refs
    return Item("developments", data, line, shard=(date or "")[:7])
