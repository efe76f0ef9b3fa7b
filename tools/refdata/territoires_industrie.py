#!/usr/bin/env python3
"""territoires_industrie.py — the Territoires d'industrie as lists of communes.

Reads ANCT's two GeoJSON files (../shared/data/territoires_industrie/, see
data/SOURCES.md) and data/geo/communes.csv, and writes
data/geo/territoires_industrie.csv: one row per territory x commune, with
columns code,phase,name,commune,member,member_kind.

- code: "ti-RRNN" for the current phase (2023-), "ti1-RRNN" for the first
  (2019-2022): ANCT numbers the two phases differently, never join them.
- A member is an EPCI (its SIREN, 9 digits starting 2) whose communes are
  those of data/geo/communes.csv with that EPCI, or a commune given by its
  SIREN (21 + département + 5 digits: INSEE codes are not SIRENs) matched by
  name within its département.
- An établissement public territorial of the Grand Paris (EPT, SIREN 2000579xx)
  is not an EPCI of data/geo/communes.csv (its communes belong to the
  Métropole du Grand Paris): its communes are those of the Métropole whose
  centre lies inside the territory's own polygon in ANCT's file.
- Members that still match nothing are listed on stderr; no guess is made.

Usage: tools/refdata/territoires_industrie.py [SHARED_DIR] [OUT]
"""
import csv, json, re, sys, unicodedata
from collections import defaultdict
from pathlib import Path

root = Path(__file__).resolve().parents[2]
shared = Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared" / "data"
out = Path(sys.argv[2]) if len(sys.argv) > 2 else root / "data" / "geo" / "territoires_industrie.csv"

communes = list(csv.DictReader(open(root / "data" / "geo" / "communes.csv", encoding="utf-8")))
by_epci = defaultdict(list)
for c in communes:
    if c["type"] == "COM" and c["epci"]:
        by_epci[c["epci"]].append(c["code"])


def fold(s):
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


by_dep_name = defaultdict(list)
for c in communes:
    if c["type"] == "COM":
        by_dep_name[(c["departement"], fold(c["name"]))].append(c["code"])


def commune_of(siren, name):
    """A commune member: SIREN 21DDxxxxx (Corsica 212A/212B? no: 2A/2B are 20),
    matched by name within département DD."""
    dep = siren[2:4]
    if dep == "20":  # Corsica: try both
        deps = ["2A", "2B"]
    elif dep == "97":  # overseas: 3-digit départements
        deps = ["971", "972", "973", "974", "976"]
    else:
        deps = [dep]
    hits = [code for d in deps for code in by_dep_name.get((d, fold(name)), [])]
    return hits[0] if len(hits) == 1 else None


def inside(lon, lat, geom):
    """Ray casting over every ring of a (Multi)Polygon or GeometryCollection."""
    if geom["type"] == "GeometryCollection":
        return any(inside(lon, lat, g) for g in geom["geometries"])
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else \
        geom["coordinates"] if geom["type"] == "MultiPolygon" else []
    hit = False
    for poly in polys:
        for ring in poly:
            j = len(ring) - 1
            for i in range(len(ring)):
                xi, yi = ring[i][0], ring[i][1]
                xj, yj = ring[j][0], ring[j][1]
                if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
                    hit = not hit
                j = i
    return hit


MGP = "200054781"  # Métropole du Grand Paris


def ept_communes(geom):
    return [c["code"] for c in communes
            if c["type"] == "COM" and c["epci"] == MGP and c["lat"] and
            inside(float(c["lon"]), float(c["lat"]), geom)]


rows, missing = [], []


def add(code, phase, name, members, geom):
    seen = set()
    for mname, siren in members:
        mname = mname.strip().replace("\u00a0", " ")
        if siren.startswith("21"):
            c = commune_of(siren, mname)
            kind = "commune"
            got = [c] if c else []
        else:
            kind = "epci"
            got = by_epci.get(siren, [])
            if not got and mname.startswith("EPT") or siren.startswith("2000579"):
                kind, got = "ept", got or ept_communes(geom)
        if not got:
            missing.append(f"{code} {name}: {kind} {mname} ({siren})")
        for c in got:
            if c not in seen:
                seen.add(c)
                rows.append([code, phase, name, c, siren, kind])


d2 = json.load(open(shared / "territoires_industrie" / "ti_phase2_2023_epci.geojson", encoding="utf-8"))
for f in d2["features"]:
    p = f["properties"]
    members = []
    for item in p["liste_geo"].split("; "):
        m = re.match(r"(.*)\((\d{9})\)$", item.strip())
        if m:
            members.append((m.group(1), m.group(2)))
    add(p["id_territoire"], "2023", p["lib_territoire"].strip().replace("\u00a0", " "), members,
        f["geometry"])

d1 = json.load(open(shared / "territoires_industrie" / "ti_phase1_2019_2022_epci.geojson", encoding="utf-8"))
for f in d1["features"]:
    p = f["properties"]
    sirens = [s.strip() for s in str(p["siren_groupement"]).split(",") if s.strip()]
    # Names of groupings may contain commas: only commune members need a name,
    # looked up by SIREN order when the counts agree.
    names = [n.strip() for n in str(p["lib_groupement"]).split(", ")]
    if len(names) != len(sirens):
        names = [""] * len(sirens)
    add("ti1-" + p["id_ti"][3:], "2019", p["lib_ti"].strip(), list(zip(names, sirens)),
        f["geometry"])

rows.sort(key=lambda r: (r[1] != "2023", r[0], r[3]))
with open(out, "w", encoding="utf-8", newline="") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["code", "phase", "name", "commune", "member", "member_kind"])
    w.writerows(rows)
terr = {(r[0]) for r in rows}
print(f"{out}: {len(rows)} rows, {len(terr)} territories "
      f"({sum(1 for t in terr if not t.startswith('ti1-'))} current, "
      f"{sum(1 for t in terr if t.startswith('ti1-'))} first phase); "
      f"{len(missing)} members matched nothing:", file=sys.stderr)
for m in missing:
    print("  " + m, file=sys.stderr)
