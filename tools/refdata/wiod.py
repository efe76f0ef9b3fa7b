#!/usr/bin/env python3
"""wiod.py XLSX OUT_DIR [YEAR] — extracts France's intermediate uses from the WIOD
2016 release national IO table (FRA_NIOT_nov16.xlsx, sheet "National IO-tables")
into OUT_DIR/wiod_fra_YEAR_domestic.csv and OUT_DIR/wiod_fra_YEAR_imports.csv
(rows: product supplied, origin Domestic or Imports; columns: the 56 using
industries; millions of US dollars) and OUT_DIR/wiod_industries.csv (code, label,
NAF rev. 2 divisions). Standard library only; values are copied as stored in the
workbook. Check printed: for every industry, domestic + imported products add up
to the workbook's own total intermediate consumption (row TOT II_fob)."""
import csv, re, sys, zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def sheet_rows(z, name):
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = None
    for s in wb.find("m:sheets", NS):
        if s.get("name") == name:
            rid = s.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            for r in rels:
                if r.get("Id") == rid:
                    target = "xl/" + r.get("Target").lstrip("/").replace("xl/", "")
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    for row in ET.fromstring(z.read(target)).find("m:sheetData", NS):
        out = {}
        for c in row:
            v = c.find("m:v", NS)
            if v is None:
                continue
            val = v.text
            if c.get("t") == "s":
                val = shared[int(val)]
            out[col_index(c.get("r"))] = val
        yield out


def divisions(code):
    """NAF rev. 2 divisions covered by a WIOD industry code."""
    sections = {"A": range(1, 4), "B": range(5, 10), "D": [35], "F": range(41, 44),
                "I": range(55, 57), "N": range(77, 83), "Q": range(86, 89),
                "R": range(90, 94), "S": range(94, 97), "T": range(97, 99), "U": [99]}
    out = []
    for part in code.split("_"):
        m = re.fullmatch(r"([A-Z])(\d\d)?(?:-[A-Z](\d\d))?", part)
        if not m:
            continue
        sec, a, b = m.group(1), m.group(2), m.group(3)
        if a:
            out += list(range(int(a), int(b or a) + 1))
        else:
            out += list(sections[sec])
    return out


def main():
    xlsx, out_dir = sys.argv[1], sys.argv[2]
    year = sys.argv[3] if len(sys.argv) > 3 else "2014"
    with zipfile.ZipFile(xlsx) as z:
        rows = list(sheet_rows(z, "National IO-tables"))
    header = rows[0]
    ncols = max(header) + 1
    names = [header.get(i, "") for i in range(ncols)]
    labels_row = rows[1]
    first = names.index("Origin") + 1
    industries = names[first:first + 56]
    assert len(industries) == 56 and industries[0] == "A01", industries[:3]
    tables = {"Domestic": {}, "Imports": {}}
    labels, ii_fob = {}, None
    for r in rows[2:]:
        if str(r.get(0, "")).split(".")[0] != year:
            continue
        code, origin = r.get(1), r.get(3)
        if origin == "TOT" and code == "II_fob":
            ii_fob = [float(r.get(first + i, "0")) for i in range(56)]
        if origin not in tables:
            continue
        labels[code] = r.get(2, "")
        tables[origin][code] = [r.get(first + i, "0") for i in range(56)]
    for origin, table in tables.items():
        assert len(table) == 56, (origin, len(table))
        with open(f"{out_dir}/wiod_fra_{year}_{origin.lower()}.csv", "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["product"] + industries)
            for code in industries:
                w.writerow([code] + table[code])
    # Check: domestic + imported intermediate uses = total intermediate consumption.
    assert ii_fob is not None, "no TOT II_fob row"
    worst = max(abs(sum(float(t[c][i]) for t in tables.values() for c in industries) - ii_fob[i])
                for i in range(56))
    dom = sum(float(v) for c in industries for v in tables["Domestic"][c])
    imp = sum(float(v) for c in industries for v in tables["Imports"][c])
    print(f"domestic {dom:.1f} M$ + imports {imp:.1f} M$ = {dom + imp:.1f} M$ of intermediate uses;"
          f" largest gap to II_fob by industry {worst:.6f} M$")
    with open(f"{out_dir}/wiod_industries.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "label", "divisions"])
        for code in industries:
            w.writerow([code, labels[code], " ".join("%02d" % d for d in divisions(code))])
    print(f"{len(tables['Domestic'])} products x {len(industries)} industries, year {year}")


if __name__ == "__main__":
    main()
