#!/usr/bin/env python3
"""strasbourg.py RAW_CSV OUT_CSV — counts the real SIRENE extract of the
Strasbourg area (INSEE stock of 31 May 2018, active establishments, via
geo-sirene; shared/data/sirene_real/sirene_with_iris_strasbourg_201805.csv,
latin-1, columns CODE_IRIS, APET700, TEFET, LIBTEFET) by NAF sub-class and
employee band, and writes OUT_CSV: subclass,band,establishments (sub-class
with its dot, band as in the stock: NN, 00, 01 ... 53), sorted. Standard
library only. The counts are used by the input-output builder (job counts per
NAF class) and by the demo generator (joint distribution of sub-class and size)."""
import collections, csv, sys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: strasbourg.py RAW_CSV OUT_CSV")
    counts = collections.Counter()
    with open(sys.argv[1], encoding="latin-1", newline="") as f:
        for r in csv.DictReader(f):
            ape = r["APET700"].strip()
            band = r["TEFET"].strip() or "NN"
            if len(ape) != 5:
                sys.exit(f"unexpected APET700 {ape!r}")
            counts[(ape[:2] + "." + ape[2:], band)] += 1
    with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["subclass", "band", "establishments"])
        for (sub, band), n in sorted(counts.items()):
            w.writerow([sub, band, n])
    print(f"{sum(counts.values())} establishments, {len(counts)} (sub-class, band) cells")


main()
