#!/usr/bin/env python3
"""complexity_ref.py — an independent computation of relatedness and economic
complexity, written straight from the formulas of docs/methods.md (issue 12,
after the Atlas of Economic Complexity's ecomplexity): dense matrices and
numpy.linalg.eig on the non-symmetric Mpp, as py-ecomplexity does, nothing
shared with the C code. Used by t_complexity.sh:

  complexity_ref.py gen SEED LOCS ACTS DENSITY [--time N] [--zero-rows]  > input.csv
  complexity_ref.py check INPUT OUTPUT --location C --activity C --value C
                    [--time C] [--rca-threshold X]

`check` prints one line per difference and exits 1 when there is any: keys,
columns and integers must be equal, empty cells (undefined figures) must be
empty on both sides, numbers must agree within 1e-6 relative (1e-9 absolute
near zero)."""
import csv
import math
import random
import sys

import numpy as np

REL, ABS = 1e-6, 1e-9
COLUMNS = ["location", "activity", "value", "rca", "mcp", "diversity", "ubiquity",
           "eci", "pci", "density", "coi", "cog"]


def table(cells, threshold):
    """cells: {(loc, act): value} -> {(loc, act): {column: value or None}}."""
    ltot, atot = {}, {}
    for (l, a), v in cells.items():
        ltot[l] = ltot.get(l, 0.0) + v
        atot[a] = atot.get(a, 0.0) + v
    # Zero totals are left out (py-ecomplexity's create_full_df); byte order.
    locs = sorted((l for l in ltot if ltot[l] > 0), key=lambda s: s.encode())
    acts = sorted((a for a in atot if atot[a] > 0), key=lambda s: s.encode())
    C, P = len(locs), len(acts)
    X = np.zeros((C, P))
    li = {l: i for i, l in enumerate(locs)}
    ai = {a: i for i, a in enumerate(acts)}
    for (l, a), v in cells.items():
        if l in li and a in ai:
            X[li[l], ai[a]] += v
    rca = (X / X.sum(axis=1)[:, None]) / (X.sum(axis=0)[None, :] / X.sum())
    M = (rca >= threshold).astype(float)
    div = M.sum(axis=1)
    ubi = M.sum(axis=0)

    rl, ra = div > 0, ubi > 0
    ranked = rl.sum() >= 2 and ra.sum() >= 2
    kp = np.zeros(P)
    kc = np.zeros(C)
    if ranked:
        Ms = M[rl][:, ra]
        # Mpp[p,p'] = sum_c M[c,p] M[c,p'] / (kc0[c] kp0[p])
        Mpp = (Ms / ubi[ra][None, :]).T @ (Ms / div[rl][:, None])
        w, V = np.linalg.eig(Mpp)
        k = np.argsort(w.real)[-2]
        kps = V[:, k].real
        if w.real[k] > 1 - 1e-9:     # disconnected: no single second eigenvector
            ranked = False
        kcs = (Ms @ kps) / div[rl]
        r = np.corrcoef(div[rl], kcs)[0, 1] if np.std(div[rl]) > 0 and np.std(kcs) > 0 else 1
        s = -1.0 if r < 0 else 1.0
        kp[ra] = s * kps
        kc[rl] = s * kcs
        # Mean and sd (n - 1) over the rows of the full table.
        rows = np.repeat(kc[rl], P)
        mean, sd = rows.mean(), rows.std(ddof=1) if rows.size > 1 else 0.0
        if ranked and not sd > 1e-12 * np.abs(kc[rl]).max():
            ranked = False

    with np.errstate(divide="ignore", invalid="ignore"):
        phi = (M.T @ M) / np.maximum(ubi[:, None], ubi[None, :])
    phi = np.nan_to_num(phi, nan=0.0)
    np.fill_diagonal(phi, 0.0)
    rowsum = phi.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        density = np.where(rowsum[None, :] > 0, (M @ phi.T) / rowsum[None, :], 0.0)

    eci = pci = coi = cog = None
    coi_ok = False
    if ranked:
        eci = (kc - mean) / sd
        pci = (kp - mean) / sd
        coi_raw = ((1 - M) * density * kp[None, :]).sum(axis=1)
        rows2 = np.repeat(coi_raw, P)
        sd2 = rows2.std(ddof=1) if rows2.size > 1 else 0.0
        coi_ok = sd2 > 1e-12 * np.abs(coi_raw).max()
        if coi_ok:
            coi = (coi_raw - rows2.mean()) / sd2
        colsum = phi.sum(axis=0)
        f = np.where(colsum > 0, kp / np.where(colsum > 0, colsum, 1), 0.0)
        W = phi.T * f[:, None]          # W[p', p] = phi[p, p'] kp[p'] / colsum[p']
        cog = (1 - M) * ((1 - M) @ W) / sd

    out = {}
    for i, l in enumerate(locs):
        for j, a in enumerate(acts):
            out[(l, a)] = {
                "location": l, "activity": a, "value": X[i, j], "rca": rca[i, j],
                "mcp": int(M[i, j]), "diversity": int(div[i]), "ubiquity": int(ubi[j]),
                "eci": eci[i] if ranked and div[i] > 0 else None,
                "pci": pci[j] if ranked and ubi[j] > 0 else None,
                "density": density[i, j],
                "coi": coi[i] if coi_ok else None,
                "cog": cog[i, j] if ranked else None,
            }
    return out


def read_input(path, loc, act, val, time):
    groups = {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            t = r[time] if time else ""
            g = groups.setdefault(t, {})
            key = (r[loc], r[act])
            g[key] = g.get(key, 0.0) + float(r[val])
    return groups


def close(a, b):
    return abs(a - b) <= max(REL * max(abs(a), abs(b)), ABS)


def check(argv):
    inp, outp = argv[0], argv[1]
    opts = dict(zip(argv[2::2], argv[3::2]))
    time = opts.get("--time")
    thr = float(opts.get("--rca-threshold", 1))
    groups = read_input(inp, opts["--location"], opts["--activity"], opts["--value"], time)
    want = {}
    for t, cells in groups.items():
        for k, row in table(cells, thr).items():
            want[(t,) + k] = row
    problems, n = [], 0
    with open(outp, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        expect = (["time"] if time else []) + COLUMNS
        if header != expect:
            print("header %s, expected %s" % (header, expect))
            return 1
        seen = set()
        for rec in reader:
            n += 1
            row = dict(zip(header, rec))
            key = (row.get("time", ""), row["location"], row["activity"])
            if key in seen:
                problems.append("row %s twice" % (key,))
                continue
            seen.add(key)
            ref = want.get(key)
            if ref is None:
                problems.append("row %s not in the reference" % (key,))
                continue
            for col in COLUMNS[2:]:
                got, exp = row[col], ref[col]
                if exp is None or got == "":
                    if not (exp is None and got == ""):
                        problems.append("%s %s: %r, reference %r" % (key, col, got, exp))
                elif col in ("mcp", "diversity", "ubiquity"):
                    if got != str(exp):
                        problems.append("%s %s: %s, reference %s" % (key, col, got, exp))
                elif not close(float(got), float(exp)):
                    problems.append("%s %s: %s, reference %.12g" % (key, col, got, exp))
        for k in want:
            if k not in seen:
                problems.append("reference row %s missing" % (k,))
    for p in problems[:20]:
        print(p)
    if problems:
        print("%d differences in %d rows" % (len(problems), n))
        return 1
    print("%d rows, %d values equal to the reference" % (n, n * (len(COLUMNS) - 2)))
    return 0


def gen(argv):
    seed, nl, na, dens = int(argv[0]), int(argv[1]), int(argv[2]), float(argv[3])
    opts = argv[4:]
    times = int(opts[opts.index("--time") + 1]) if "--time" in opts else 0
    rnd = random.Random(seed)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow((["year"] if times else []) + ["place", "sector", "jobs"])
    for t in range(max(times, 1)):
        for i in range(nl):
            # Skewed sizes and sector shares, so that RCA varies.
            size = rnd.paretovariate(1.5)
            for j in range(na):
                if rnd.random() < dens * (1 + (i * 7 + j * 3) % 5) / 3:
                    v = round(size * rnd.expovariate(1.0) * (1 + j % 4) * 10, rnd.choice([0, 2]))
                    row = (["%d" % (2019 + t)] if times else []) + ["L%03d" % i, "A%02d" % j, v]
                    w.writerow(row)
                    if rnd.random() < 0.05:   # a duplicate pair, to be summed
                        w.writerow(row[:-1] + [1])
        if "--zero-rows" in opts:
            # A location and an activity whose values are all zero: left out.
            w.writerow((["%d" % (2019 + t)] if times else []) + ["ZZ-empty", "A00", 0])
            w.writerow((["%d" % (2019 + t)] if times else []) + ["L000", "ZZ-none", 0])
    return 0


if __name__ == "__main__":
    sys.exit({"gen": gen, "check": check}[sys.argv[1]](sys.argv[2:]))
