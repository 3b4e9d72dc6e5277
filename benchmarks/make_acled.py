"""A deterministic synthetic ACLED export (CSV) of N events, for `briefgen import acled`.

    python benchmarks/make_acled.py 100000 /tmp/acled-100k.csv

Invented rows shaped like ACLED's: the columns of a current export, about 400 actors, dates
over seven years with all three time precisions, notes of a few hundred characters, outlets in
'source'. The same N and --seed give byte-identical files.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

COLUMNS = ("event_id_cnty event_date year time_precision disorder_type event_type sub_event_type "
           "actor1 assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 interaction "
           "civilian_targeting iso region country admin1 admin2 admin3 location latitude "
           "longitude geo_precision source source_scale notes fatalities tags timestamp").split()
COUNTRIES = (("AFG", 4, "Afghanistan", ("Kunar", "Balkh", "Kabul", "Badakhshan")),
             ("TJK", 762, "Tajikistan", ("Khatlon", "Gorno-Badakhshan", "Sughd")),
             ("KGZ", 417, "Kyrgyzstan", ("Batken", "Osh", "Jalal-Abad")),
             ("UZB", 860, "Uzbekistan", ("Tashkent", "Surxondaryo", "Fergana")))
EVENTS = (("Battles", "Armed clash", "Political violence"),
          ("Explosions/Remote violence", "Remote explosive/landmine/IED", "Political violence"),
          ("Protests", "Peaceful protest", "Demonstrations"),
          ("Riots", "Violent demonstration", "Demonstrations"),
          ("Strategic developments", "Arrests", "Strategic developments"))
OUTLETS = ("Pajhwok Afghan News", "Khaama Press", "Asia-Plus", "AKIpress", "Kun.uz", "Tolo News")


def write(n: int, path: Path, seed: int = 1) -> None:
    rnd = random.Random(seed)
    actors = [(f"{kind} {i} ({country[2]})", code) for i in range(100) for country in COUNTRIES
              for kind, code in ((("Armed group", "2"), ("Militia", "3"), ("Police Forces", "1"),
                                  ("Protesters", "6"))[i % 4],)]
    start = dt.date(2018, 1, 1)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(COLUMNS)
        for i in range(n):
            prefix, iso, country, regions = rnd.choice(COUNTRIES)
            day = start + dt.timedelta(days=rnd.randrange(2555))
            event, sub, disorder = rnd.choice(EVENTS)
            (a1, i1), (a2, i2) = rnd.choice(actors), rnd.choice(actors)
            region = rnd.choice(regions)
            place = f"{region} village {rnd.randrange(300)}"
            deaths = rnd.choice((0, 0, 0, 1, 2, 3, 5, 12))
            notes = (f"On {day:%d %B %Y}, {a1} and {a2} were involved in an event near {place} "
                     f"({region}). " + "Local sources report further details of the incident. "
                     * rnd.randrange(1, 6) + (f"{deaths} fatalities were reported." if deaths
                                              else "No fatalities were reported."))
            row = {"event_id_cnty": f"{prefix}{i:07d}", "event_date": day.isoformat(),
                   "year": day.year, "time_precision": rnd.choice("1112223"),
                   "disorder_type": disorder, "event_type": event, "sub_event_type": sub,
                   "actor1": a1, "inter1": i1, "actor2": a2, "inter2": i2,
                   "interaction": i1 + i2, "iso": iso, "region": "Caucasus and Central Asia",
                   "country": country, "admin1": region, "location": place,
                   "latitude": f"{rnd.uniform(35, 42):.4f}",
                   "longitude": f"{rnd.uniform(62, 75):.4f}",
                   "geo_precision": rnd.choice("123"),
                   "source": "; ".join(rnd.sample(OUTLETS, rnd.randrange(1, 3))),
                   "source_scale": "National", "notes": notes, "fatalities": deaths,
                   "timestamp": 1700000000 + i}
            out.writerow([row.get(c, "") for c in COLUMNS])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("path", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    write(args.n, args.path, args.seed)


if __name__ == "__main__":
    main()
