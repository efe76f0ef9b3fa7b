#!/usr/bin/env python3
"""monthly.py SRC DST — next month's stock from a GENERATED one, for the
update benchmark: every 100th establishment changes its sign, every 100th
(another) open one closes; the rest is the same. Deterministic."""
import csv
import sys

src, dst = sys.argv[1:3]
with open(src, newline='', encoding='utf-8', errors='surrogateescape') as f, \
        open(dst, 'w', newline='', encoding='utf-8', errors='surrogateescape') as g:
    rows = csv.reader(f)
    out = csv.writer(g, lineterminator='\n')
    header = next(rows)
    out.writerow(header)
    ix = {n: i for i, n in enumerate(header)}
    sign, state = ix['enseigne1Etablissement'], ix['etatAdministratifEtablissement']
    for n, row in enumerate(rows):
        if len(row) == len(header):
            if n % 100 == 0:
                row[sign] = 'ENSEIGNE MODIFIEE %d' % n
            elif n % 100 == 50 and row[state] == 'A':
                row[state] = 'F'
        out.writerow(row)
