#!/usr/bin/env python3
"""Generate a deterministic synthetic briefgen workspace for benchmarking.

    python benchmarks/make_workspace.py 300 /tmp/ws300          # 300 developments
    python benchmarks/make_workspace.py 300 /tmp/ws300 --seed 7 # another (still fixed) corpus

For N developments the workspace holds about N/10 actors (at least 20) and N/5 sources (at least
10), split over several files per kind (developments by year, actors by kind, sources in chunks),
and one brief, ``big``: the policy-brief template, TLP:AMBER, key judgments, sections (one with a
table), recommendations, a distribution of three and no scope, so every development is in scope.

The same N and seed always give byte-identical files (a seeded ``random.Random``, no clock, no
hash ordering). The text is synthetic but shaped like the real thing: Markdown summaries of 2-4
sentences, some bold, some lists, some links, ``&`` and ``<`` in text, Cyrillic aliases, actor
relations, 1-3 source references with credibility and locator, tags, fuzzy dates at all three
precisions, date spans, significance. With ``--arabic-share 0.3``, 30% of the characters of the
developments' titles and summaries are Arabic-script letters (Pashto, Dari, Arabic with
harakat; the benchmark's own row); the developments left in Latin are as in the plain workspace.

Only the standard library and PyYAML (a briefgen dependency) are used.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from pathlib import Path

import yaml

GENERATOR_VERSION = 1  # bump when the output changes, so run.py regenerates cached workspaces
DEFAULT_SEED = 20240901
FIRST_YEAR, LAST_YEAR = 2015, 2024
BRIEF_DATE = dt.date(2025, 1, 15)  # after every development, so nothing falls after as_of

# --- vocabulary ---------------------------------------------------------------------------------

SYLLABLES = ["ka", "ri", "sta", "mon", "bel", "dor", "va", "zan", "tor", "li", "mar", "sen",
             "go", "ra", "vin", "tal", "ush", "ke", "no", "bar", "di", "lo", "shan", "tu", "ar",
             "mek", "zo", "han", "pel", "yu"]
FIRST_NAMES = ["Aziz", "Nodira", "Timur", "Dilnoza", "Farhod", "Gulnara", "Rustam", "Zarina",
               "Bakhtiyor", "Malika", "Sergei", "Olga", "Ivan", "Anna", "Karim", "Leila", "Omar",
               "Sara", "Jamshid", "Madina", "Erlan", "Aigerim", "Daniyar", "Kamila", "Viktor",
               "Elena", "Yusuf", "Amina", "Ruslan", "Svetlana"]
LAST_NAMES = ["Karimov", "Yusupova", "Rakhimov", "Nazarova", "Ivanov", "Petrova", "Sultanov",
              "Abdullaeva", "Tokayev", "Bekova", "Ismoilov", "Sadykova", "Orlov", "Mirzaeva",
              "Kasymov", "Umarova", "Volkov", "Akhmetova", "Sharipov", "Khodjaeva"]
ORG_PATTERNS = ["Council for {x} Cooperation", "{x} Security Organisation", "{x} Border Commission",
                "{x} Development Bank", "Centre for {x} Studies", "{x} Contact Group",
                "{x} Counter-Terrorism Structure", "{x} Water Authority"]
GROUP_PATTERNS = ["{x} Liberation Front", "Army of {x}", "{x} Brigade", "{x} Jamaat",
                  "Islamic Movement of {x}", "{x} Resistance"]
MOVEMENT_PATTERNS = ["{x} Renewal Movement", "{x} Youth Union", "Free {x} Initiative",
                     "{x} Workers' Movement"]
OTHER_PATTERNS = ["{x} Transit Consortium", "{x} Media Group", "{x} Energy Holding"]
ROLES = ["Foreign Minister of {s}", "Head of the {s} security service", "President of {s}",
         "Special envoy of {s} for Afghanistan", "Defence Minister of {s}", "Leader of the {o}"]
KINDS = ["state", "organisation", "armed-group", "movement", "person", "other"]
KIND_WEIGHTS = [0.2, 0.22, 0.18, 0.12, 0.2, 0.08]
COUNTRIES = ["AF", "UZ", "TJ", "KZ", "KG", "TM", "RU", "CN", "PK", "IR", "IN", "TR", "US"]
RELATION_TYPES = ["member of", "ally of", "rival of", "funds", "trains", "shelters",
                  "negotiates with", "borders", "supplies arms to", "splinter of",
                  "joint military exercise with", "signed a treaty with", "mediates between"]
TAGS = ["diplomacy", "counter-terrorism", "border-security", "conflict", "trade", "transit",
        "energy", "water", "narcotics", "migration", "recruitment", "collective-defence",
        "humanitarian", "sanctions", "elections", "infrastructure", "cyber", "human-rights",
        "refugees", "intelligence"]
PLACES = ["Tashkent", "Dushanbe", "Kabul", "Bishkek", "Astana", "Ashgabat", "Termez",
          "Mazar-i-Sharif", "Kunduz", "Khorog", "Osh", "Samarkand", "Herat", "Moscow", "Beijing", "Islamabad",
          "Almaty", "Kandahar", "Nukus", "Fayzabad"]
TOPICS = ["border security", "water sharing", "the Trans-Afghan railway", "counter-narcotics work",
          "refugee returns", "electricity exports", "customs procedures", "intelligence sharing",
          "online recruitment", "joint patrols", "transit trade", "humanitarian access",
          "the release of detainees", "arms control", "gas pipeline financing"]
VERBS = ["agreed on", "discussed", "announced new measures on", "signed a memorandum on",
         "held talks on", "called for cooperation on", "suspended talks on", "reviewed progress on"]
EVENT_NOUNS = ["attack", "summit", "agreement", "exercise", "clash", "conference", "visit",
               "statement", "arrest", "offensive", "ceasefire", "sanctions package"]
PUBLISHERS = ["Regional Security Review", "Central Asia Monitor",
              "Institute for Strategic Analysis", "Diplomatic Courier", "Steppe & Mountain Press", "Caspian Policy Centre",
              "Korea Foundation", "Global Terrorism Observatory", "Afghan News Agency",
              "Council on Regional Affairs"]
SOURCE_KINDS = ["report", "article", "commentary", "official statement", "dataset", "interview"]
LOCATORS = ["p. {n}", "para. {n}", "pp. {n}-{m}", "section {n}", "table {n}", "fig. {n}"]

SENTENCES = [
    "{a} and {b} {verb} {topic} during a meeting in {place}, the first such contact in several "
    "months.",
    "Officials in {place} described the talks as {adj}, though no joint statement followed and "
    "both sides kept their earlier positions.",
    "The {event} came after weeks of rising tension along the border near {place}, where patrols "
    "had been reinforced.",
    "{a} said it would review its approach to {topic} before the end of the year and consult its "
    "partners first.",
    "Observers noted that {b} had previously rejected similar proposals on {topic}, citing "
    "concerns about sovereignty.",
    "Local media reported at least {n} casualties & significant damage to infrastructure in and "
    "around {place}.",
    "The move is widely seen as a test of {a}'s influence over {b} and of its wider regional "
    "ambitions.",
    "Analysts expect the decision to affect {topic} for several years, especially in the border "
    "districts.",
    "A follow-up round is planned in {place}, but its date has not been set and the agenda "
    "remains disputed.",
    "Officials put the risk of a renewed offensive at <{n}%, a sharp fall on the year before.",
    "{a} denied any involvement and accused {b} of spreading disinformation through affiliated "
    "media channels.",
    "Diplomats from {b} attended as observers and raised concerns about {topic} and the "
    "treatment of migrants.",
    "The agreement commits both sides to regular consultations on {topic} at the level of deputy "
    "ministers.",
    "Security sources in {place} linked the {event} to a network recruiting fighters from "
    "neighbouring provinces.",
]
ADJECTIVES = ["constructive", "difficult", "frank", "productive", "tense", "inconclusive"]

# Arabic-script sentences (Pashto, Dari, Arabic with harakat) for --arabic-share: joining letters
# without presentation forms, ZWNJ, marks, and Latin names and numbers inside right-to-left text,
# what the PDF renderer shapes with HarfBuzz and orders line by line.
ARABIC_SENTENCES = [
    "د {place} په ښار کې د {a} او {b} ترمنځ د {n} ګډونوالو سره غونډه جوړه شوه.",
    "ګډونوالو وویل چې د پولې امنیت اوږده لاره ده او ځوانان باید له افراطي ډلو وساتل شي.",
    "د همکارۍ سازمان په راپور کې راغلي چې {n} کسان ټپیان شوي او ګڼ شمېر کورونه ویجاړ شوي.",
    "{a} می‌خواهد همکاری‌های امنیتی با {b} را در {place} گسترش دهد.",
    "مقام‌های محلی در {place} گفتند که گفت‌وگوها {n} ساعت ادامه یافت و نتیجهٔ روشنی نداشت.",
    "عُقِدَ اجْتِمَاعٌ فِي {place} بَيْنَ {a} وَ{b} لِمُكَافَحَةِ الإِرْهَابِ وَتَعْزِيزِ الأَمْنِ.",
    "قَالَ المَسْؤُولُونَ إِنَّ {n} شَخْصًا أُصِيبُوا فِي الهُجُومِ قُرْبَ الحُدُودِ.",
    "د سیمې هېوادونو د {a} پرېکړه وڅېړله او د راتلونکې غونډې نېټه یې لا نه ده ټاکلې.",
]
ARABIC_TITLES = ["غونډه په {place} کې", "گفت‌وگوهای امنیتی در {place}",
                 "اجْتِمَاعٌ فِي {place}", "د پولې امنیت: {a}"]


def _arabic(text: str) -> int:
    return sum(1 for c in text if "\u0600" <= c <= "\u06ff")


def arabize(developments: list[dict], share: float, seed) -> float:
    """Rewrite developments, in a seeded random order, with Arabic-script titles and summaries
    until ``share`` of the developments' title and summary characters are Arabic script (a
    separate random stream: the other developments stay as in the Latin workspace); return the
    share reached."""
    r = random.Random(f"{seed}:arabic")
    total = sum(len(d["title"]) + len(d["summary"]) for d in developments)
    arabic = 0
    order = list(range(len(developments)))
    r.shuffle(order)
    for i in order:
        if arabic >= share * total:
            break
        dev = developments[i]
        total -= len(dev["title"]) + len(dev["summary"])
        words = dev["title"].split()
        fill = {"place": words[-1].strip(":"), "a": words[0], "b": r.choice(PLACES),
                "n": r.randint(2, 90)}
        dev["title"] = r.choice(ARABIC_TITLES).format(**fill)
        length = len(dev["summary"])
        text: list[str] = []
        while sum(map(len, text)) < length * 0.9:
            text.append(r.choice(ARABIC_SENTENCES).format(**fill))
        dev["summary"] = " ".join(text)
        total += len(dev["title"]) + len(dev["summary"])
        arabic += _arabic(dev["title"]) + _arabic(dev["summary"])
    return arabic / max(1, total)

# A crude Latin -> Cyrillic transliteration: enough to make aliases in another script.
_CYR = {"sh": "ш", "ch": "ч", "zh": "ж", "kh": "х", "yu": "ю", "ya": "я", "ts": "ц",
        "a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х",
        "i": "и", "j": "дж", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п",
        "q": "к", "r": "р",
        "s": "с", "t": "т", "u": "у", "v": "в", "w": "в", "x": "кс", "y": "й", "z": "з"}


def cyrillic(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        pair = text[i:i + 2].lower()
        if pair in _CYR:
            rep, step = _CYR[pair], 2
        else:
            ch = text[i]
            rep, step = _CYR.get(ch.lower(), ch), 1
        if text[i].isupper():
            rep = rep[:1].upper() + rep[1:]
        out.append(rep)
        i += step
    return "".join(out)


def slugify(text: str) -> str:
    out = "".join(c.lower() if c.isalnum() and c.isascii() else "-" for c in text)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


# --- generation ---------------------------------------------------------------------------------

class Generator:
    def __init__(self, n_developments: int, seed: int = DEFAULT_SEED):
        self.n = n_developments
        self.rng = random.Random(f"{seed}:{n_developments}")
        self.n_actors = max(20, round(n_developments / 10))
        self.n_sources = max(10, round(n_developments / 5))
        self.used_ids: set[str] = set()
        self.places = list(PLACES)
        self.states: list[str] = []

    def unique(self, base: str) -> str:
        slug, k = slugify(base) or "item", 1
        candidate = slug
        while candidate in self.used_ids:
            k += 1
            candidate = f"{slug}-{k}"
        self.used_ids.add(candidate)
        return candidate

    def word(self, syllables: tuple[int, int] = (2, 3)) -> str:
        r = self.rng
        return "".join(r.choice(SYLLABLES) for _ in range(r.randint(*syllables))).capitalize()

    def fuzzy_date(self, first: int = FIRST_YEAR, last: int = LAST_YEAR, weights=(0.6, 0.28, 0.12)):
        """A day (as a date), a month ('2021-08') or a year (2021), mostly days."""
        r = self.rng
        year = r.randint(first, last)
        month = r.randint(1, 12)
        precision = r.choices(("day", "month", "year"), weights)[0]
        if precision == "year":
            return year
        if precision == "month":
            return f"{year}-{month:02d}"
        return dt.date(year, month, r.randint(1, 28))

    def source_refs(self, source_ids: list[str], lo: int = 1, hi: int = 3) -> list:
        r = self.rng
        refs = []
        for sid in r.sample(source_ids, r.randint(lo, hi)):
            if r.random() < 0.35:
                refs.append(sid)
                continue
            ref = {"source": sid, "credibility": r.randint(1, 6)}
            if r.random() < 0.7:
                n = r.randint(1, 40)
                ref["locator"] = r.choice(LOCATORS).format(n=n, m=n + r.randint(1, 5))
            refs.append(ref)
        return refs

    # sources -----------------------------------------------------------------------------------
    def sources(self) -> list[dict]:
        r = self.rng
        out = []
        for _ in range(self.n_sources):
            topic = r.choice(TOPICS)
            place = r.choice(self.places)
            title = r.choice([f"{topic.capitalize()} after 2021: the view from {place}",
                              f"Security & {topic} in Central Asia",
                              f"What the {r.choice(EVENT_NOUNS)} in {place} means for {topic}",
                              f"Report on {topic} ({r.randint(2015, 2024)})"])
            publisher = r.choice(PUBLISHERS)
            short_topic = "-".join(w for w in slugify(topic).split("-") if w != "the")[:24]
            sid = self.unique(f"{slugify(publisher).split('-')[0]}-{short_topic.rsplit('-', 1)[0]}")
            src = {"id": sid, "title": title, "publisher": publisher}
            if r.random() < 0.8:
                src["authors"] = [f"{r.choice(FIRST_NAMES)} {r.choice(LAST_NAMES)}"
                                  for _ in range(r.randint(1, 3))]
            src["date"] = self.fuzzy_date(weights=(0.4, 0.3, 0.3))
            if r.random() < 0.7:
                src["url"] = f"https://example.org/{slugify(publisher)}/{sid}"
            src["kind"] = r.choice(SOURCE_KINDS)
            src["reliability"] = r.choice("AABBBCCCDEF")
            out.append(src)
        return out

    # actors ------------------------------------------------------------------------------------
    def actors(self, source_ids: list[str]) -> list[dict]:
        r = self.rng
        kinds = [r.choices(KINDS, KIND_WEIGHTS)[0] for _ in range(self.n_actors)]
        for i, kind in enumerate(KINDS + ["state", "state"]):  # every kind; 3+ states
            kinds[i] = kind
        out = []
        for kind in kinds:
            if kind == "state":
                name = self.word((2, 3)) + r.choice(["", "", "istan", "ia"])
                self.states.append(name)
            elif kind == "person":
                name = f"{r.choice(FIRST_NAMES)} {r.choice(LAST_NAMES)}"
            else:
                patterns = {"organisation": ORG_PATTERNS, "armed-group": GROUP_PATTERNS,
                            "movement": MOVEMENT_PATTERNS, "other": OTHER_PATTERNS}[kind]
                name = r.choice(patterns).format(x=self.word())
            actor = {"id": self.unique(name), "name": name, "kind": kind}
            aliases = []
            if r.random() < 0.6:
                aliases.append(cyrillic(name))
            initials = "".join(w[0] for w in name.split() if w[0].isupper())
            if kind != "person" and len(initials) > 1 and r.random() < 0.5:
                aliases.append(initials)
            if aliases:
                actor["aliases"] = aliases
            if kind == "state" or r.random() < 0.5:
                actor["country"] = r.choice(COUNTRIES)
            if kind == "person":
                actor["role"] = r.choice(ROLES).format(
                    s=r.choice(self.states or ["Uzbekistan"]), o=r.choice(ORG_PATTERNS).format(
                        x=self.word()))
            actor["summary"] = self.actor_summary(name, kind)
            actor["sources"] = self.source_refs(source_ids, 1, 2)
            actor["updated"] = dt.date(2024, r.randint(1, 12), r.randint(1, 28))
            out.append(actor)
        ids = [a["id"] for a in out]
        for actor in out:
            rels = []
            for other in r.sample(ids, r.randint(0, 3)):
                if other == actor["id"]:
                    continue
                rel = {"actor": other, "type": r.choice(RELATION_TYPES)}
                if r.random() < 0.8:
                    rel["since"] = self.fuzzy_date(2001, 2024)
                if r.random() < 0.5:
                    rel["note"] = self.sentence(actor["name"], other.replace("-", " ").title())
                if r.random() < 0.7:
                    rel["sources"] = self.source_refs(source_ids, 1, 2)
                rels.append(rel)
            if rels:
                actor["relations"] = rels
        return out

    def actor_summary(self, name: str, kind: str) -> str:
        r = self.rng
        label = kind.replace("-", " ")
        first = (f"{name} is a{'n' if label[0] in 'aeiou' else ''} {label} active in "
                 f"{r.choice(TOPICS)} and {r.choice(TOPICS)}.")
        rest = " ".join(self.sentences(name, self.other_state(name), r.randint(2, 4)))
        text = first + " " + rest
        if r.random() < 0.3:
            text = text.replace(name, f"**{name}**", 1)
        return text

    # developments ------------------------------------------------------------------------------
    def sentence(self, a: str, b: str, pattern: str | None = None) -> str:
        r = self.rng
        text = (pattern or r.choice(SENTENCES)).format(
            a=a, b=b, verb=r.choice(VERBS), topic=r.choice(TOPICS), place=r.choice(self.places),
            adj=r.choice(ADJECTIVES), event=r.choice(EVENT_NOUNS), n=r.randint(2, 40))
        return text[0].upper() + text[1:]

    def sentences(self, a: str, b: str, count: int) -> list[str]:
        """``count`` sentences, no pattern twice."""
        return [self.sentence(a, b, p) for p in self.rng.sample(SENTENCES, count)]

    def other_state(self, name: str) -> str:
        choices = [s for s in self.states if s != name] or ["its neighbours"]
        return self.rng.choice(choices)

    def dev_summary(self, names: list[str]) -> str:
        r = self.rng
        a = names[0] if names else "the regional authorities"
        b = names[1] if len(names) > 1 else self.other_state(a)
        sentences = self.sentences(a, b, r.choices((2, 3, 4), (0.1, 0.3, 0.6))[0])
        roll = r.random()
        if roll < 0.2:  # a bold phrase
            i = r.randrange(len(sentences))
            words = sentences[i].split()
            k = r.randrange(max(1, len(words) - 3))
            words[k] = "**" + words[k]
            words[min(k + 2, len(words) - 1)] += "**"
            sentences[i] = " ".join(words)
        elif roll < 0.28:  # emphasis and a link
            sentences[-1] += (f" See the *full text* of the [statement](https://example.org/"
                              f"statements/{r.randint(100, 999)}).")
        text = " ".join(sentences)
        if r.random() < 0.3:  # a short list
            items = [f"- {r.choice(TOPICS).capitalize()}: {r.choice(ADJECTIVES)} progress"
                     for _ in range(r.randint(2, 4))]
            text += "\n\nThe parties listed their priorities:\n\n" + "\n".join(items)
        return text

    def developments(self, actors: list[dict], source_ids: list[str]) -> list[dict]:
        r = self.rng
        names = {a["id"]: a["name"] for a in actors}
        ids = list(names)
        out = []
        for _ in range(self.n):
            date = self.fuzzy_date()
            involved = r.sample(ids, r.choices((0, 1, 2, 3, 4), (0.08, 0.3, 0.35, 0.17, 0.1))[0])
            who = [names[a] for a in involved]
            event = r.choice(EVENT_NOUNS)
            place = r.choice(self.places)
            title = r.choice([f"{event.capitalize()} in {place}",
                              f"{who[0] if who else 'Regional'} {event} on {r.choice(TOPICS)}",
                              f"{(who[0] + ' and ' + who[1]) if len(who) > 1 else place}: "
                              f"{r.choice(TOPICS)}"])
            year = date if isinstance(date, int) else int(str(date)[:4])
            dev = {"id": self.unique(f"{slugify(event)}-{slugify(place)}-{year}"),
                   "date": date, "title": title, "summary": self.dev_summary(who)}
            if r.random() < 0.1:  # a span
                end_year = min(LAST_YEAR, year + r.randint(0, 2))
                dev["end"] = f"{end_year}" if end_year > year else f"{year}-12"
                if isinstance(date, int) and end_year == year:
                    dev["end"] = year
            if involved:
                dev["actors"] = involved
            if r.random() < 0.6:
                dev["location"] = f"{place}, {r.choice(self.states or ['the region'])}"
            dev["tags"] = r.sample(TAGS, r.randint(1, 3))
            sig = r.choices(("low", "medium", "high", None), (0.2, 0.4, 0.25, 0.15))[0]
            if sig:
                dev["significance"] = sig
            dev["sources"] = self.source_refs(source_ids, 1, 3)
            out.append(dev)
        return out

    # brief -------------------------------------------------------------------------------------
    def brief(self, actors: list[dict]) -> dict:
        r = self.rng
        states = [a["name"] for a in actors if a["kind"] == "state"]
        rows = "\n".join(
            f"| {s} | {r.choice(['Engagement', 'Confrontation', 'Hedging', 'Normalisation'])}"
            f" & {r.choice(['border hardening', 'trade talks', 'mediation'])} | "
            f"{r.choice(TOPICS).capitalize()} |" for s in states[:8])
        return {
            "title": f"Regional Security Outlook: {len(actors)} actors, {self.n} developments",
            "subtitle": "Synthetic benchmark brief: every development in scope",
            "date": BRIEF_DATE,
            "organisation": "briefgen benchmark",
            "authors": ["Benchmark Analyst One (fictional)", "Benchmark Analyst Two (fictional)"],
            "audience": "Performance engineers & senior officials",
            "template": "policy-brief",
            "marking": "TLP:AMBER",
            "bluf": (f"The region saw {self.n} recorded developments between {FIRST_YEAR} and "
                     f"{LAST_YEAR}. Security cooperation is **uneven**: states hedge between "
                     "engagement and deterrence, and armed groups exploit the gaps. Expect "
                     "continued volatility along the borders & in transit corridors."),
            "key_judgments": [
                {"text": "Cross-border attacks will continue at or above the current rate over "
                         "the next 12 months.", "likelihood": "very likely",
                 "confidence": "moderate"},
                {"text": "Regional states will deepen practical ties with Kabul without formal "
                         "recognition.", "likelihood": "likely", "confidence": "moderate"},
                {"text": "A standing multilateral counter-terrorism channel will be set up before "
                         "the end of 2025.", "likelihood": "unlikely", "confidence": "low"},
                {"text": "Joint border exercises will continue through 2025.",
                 "likelihood": "almost certain", "confidence": "high"},
            ],
            "sections": [
                {"title": "Background",
                 "body": " ".join(self.sentences(states[0], states[1], 5)) + "\n\n" +
                         " ".join(self.sentences(states[2], states[0], 4))},
                {"title": "Regional responses",
                 "body": "Governments have layered their responses:\n\n"
                         "| Actor | Approach | Main concern |\n|---|---|---|\n" + rows +
                         "\n\nThe main multilateral tracks are:\n\n" +
                         "\n".join(f"- **{r.choice(ORG_PATTERNS).format(x=self.word())}**: "
                                   f"{r.choice(TOPICS)}" for _ in range(4))},
                {"title": "Outlook",
                 "body": " ".join(self.sentences(states[1], states[2], 4))},
            ],
            "recommendations": [
                "Use existing regional channels to press for practical information sharing that "
                "does **not** depend on formal recognition.",
                "Judge counter-terrorism pledges by action against all armed groups, not one.",
                "Fund partner capacity to detect & counter online recruitment.",
                "Support border-security needs while avoiding duplication with other donors.",
                "Treat new transit corridors as long-term options tied to security arrangements.",
            ],
            "distribution": ["Director, Regional Security Desk",
                             "Head, Counter-Terrorism Policy Unit",
                             "Team Leader, Policy Planning Staff"],
            "formats": ["pdf", "docx"],
        }


# --- writing ------------------------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _dump(path: Path, data, comment: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=False)
    path.write_text(f"# {comment}\n{text}", encoding="utf-8")


def make_workspace(n_developments: int, out: Path, seed: int = DEFAULT_SEED,
                   arabic_share: float = 0.0) -> dict:
    """Write the workspace to ``out`` (replacing it); return counts. ``arabic_share``: the share
    of the developments' text written in Arabic script (Pashto, Dari, Arabic), 0: all Latin."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    g = Generator(n_developments, seed)
    sources = g.sources()
    source_ids = [s["id"] for s in sources]
    actors = g.actors(source_ids)
    developments = g.developments(actors, source_ids)
    brief = g.brief(actors)
    arabic = arabize(developments, arabic_share, seed) if arabic_share else 0.0

    note = (f"synthetic benchmark content (make_workspace.py v{GENERATOR_VERSION}, "
            f"N={n_developments}, seed={seed}"
            + (f", arabic-share={arabic_share:g}" if arabic_share else "") + ")")
    (out).mkdir(parents=True)
    (out / "briefgen.yaml").write_text(
        "organisation: briefgen benchmark\nmarking: TLP:AMBER\npaper: A4\n", encoding="utf-8")
    for kind in KINDS:
        chunk = [a for a in actors if a["kind"] == kind]
        if chunk:
            _dump(out / "content" / "actors" / f"{kind}.yaml", chunk, f"{kind} actors; {note}")
    by_year: dict[int, list] = {}
    for dev in developments:
        year = dev["date"] if isinstance(dev["date"], int) else int(str(dev["date"])[:4])
        by_year.setdefault(year, []).append(dev)
    for year in sorted(by_year):
        _dump(out / "content" / "developments" / f"{year}.yaml", by_year[year],
              f"developments of {year}; {note}")
    per_file = 100
    for i in range(0, len(sources), per_file):
        _dump(out / "content" / "sources" / f"sources-{i // per_file + 1:03d}.yaml",
              sources[i:i + per_file], f"sources; {note}")
    _dump(out / "content" / "briefs" / "big.yaml", brief, f"the benchmark brief; {note}")
    counts = {"developments": len(developments), "actors": len(actors), "sources": len(sources)}
    if arabic_share:
        counts["arabic_chars"] = round(arabic, 3)
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("developments", type=int, help="number of developments")
    ap.add_argument("out", type=Path, help="workspace folder to (re)create")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--arabic-share", type=float, default=0.0,
                    help="share of the developments' text in Arabic script (default 0; 0.3 "
                         "for the benchmark's Arabic-script row)")
    args = ap.parse_args(argv)
    counts = make_workspace(args.developments, args.out, args.seed, args.arabic_share)
    print(f"{args.out}: {counts['developments']} developments, {counts['actors']} actors, "
          f"{counts['sources']} sources, brief 'big'"
          + (f", {counts['arabic_chars']:.0%} of the developments' text in Arabic script"
             if "arabic_chars" in counts else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
