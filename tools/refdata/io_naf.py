#!/usr/bin/env python3
"""io_naf.py [--use total|domestic] [--out FILE] | [--use ...] --explain SUPPLIER BUYER —
builds maillage's inter-industry table at the level of the 615 NAF classes,
data/io/naf_class_io_2018.csv, from files shipped in the tree (run from the
repository root; standard library only; the same inputs give the same bytes):

  data/io/tei_total_2018_a38.csv        INSEE total intermediate uses (domestic +
                                        imported), A38, 2018, purchasers' prices
  data/io/wiod_fra_2014_domestic.csv, wiod_fra_2014_imports.csv, wiod_industries.csv
                                        France's WIOD table (56 industries, 2014)
  data/naf/naf.csv                      NAF sub-class -> class -> A38
  data/naf/sirene_strasbourg_2018_counts.csv
                                        real SIRENE extract: establishments by
                                        sub-class and size band (French weights)
  data/sources/use_2017_detail_intermediate.csv, make_2017_detail.csv,
  data/sources/use_2017_detail_final_demand.csv, commodity_totals_2017.csv
                                        US BEA 2017 detailed Use and Make tables
  data/sources/bea2017_naics2017.csv, naics2017_isic4_census.csv,
  data/sources/nace2_isic4_eurostat.csv BEA -> NAICS -> ISIC -> NACE concordances
  tools/refdata/naics_nace_split.csv    which NACE class(es) each NAICS industry
                                        falls in when its ISIC class is split
  data/io/trade_resale.csv              what each trade class resells
  data/io/construction_materials.csv    each construction trade's characteristic materials
  data/io/general_inputs.csv            inputs every firm buys (flagged)
  data/io/lumped_products.csv           which product of a BEA industry that lumps
                                        several (sugar and confectionery, flour and
                                        malt, glass) a group of buyers buys
  tools/refdata/naics_isic_main.csv     NAICS -> ISIC links that are a NAICS
                                        industry's main product though the Census
                                        note names them as a part

--use total (the default, the shipped table) measures what a buyer needs by its
total intermediate use of each product, made in France or imported; --use
domestic is the former variant (INSEE's domestic table of 2019 and WIOD's
domestic part: what it buys that is made in France), kept for comparison
(bench/quality.sh prints both); it needs --out.

docs/methods.md ("The inter-industry table") explains every step; the numbers
of its worked example are printed by --explain 10.61 10.71.
"""
import collections
import csv
import sys

TABLE = "data/io/naf_class_io_2018.csv"  # the shipped table (INSEE 2018 totals)
# Where each variant takes France's figures: INSEE's A38 table (file, year)
# and the origins of WIOD's 2014 table that are added up.
USES = {
    "total": {"insee": ("data/io/tei_total_2018_a38.csv", 2018),
              "wiod": ("data/io/wiod_fra_2014_domestic.csv", "data/io/wiod_fra_2014_imports.csv"),
              "what": "total (domestic + imported)", "goods": "products"},
    "domestic": {"insee": ("data/io/tei_domestic_2019_a38.csv", 2019),
                 "wiod": ("data/io/wiod_fra_2014_domestic.csv",),
                 "what": "domestic", "goods": "domestic products"},
}
DEFAULT_USE = "total"
RESALE_SHARE = 0.75     # goods for resale, as a share of a trade buyer's purchases (convention)
RETAIL_FROM_WHOLESALE = 0.5  # of a retailer's goods, the share bought from wholesalers
MINOR_LINK = 0.1        # weight of a NAICS -> ISIC link covering a named minor part
SIZE_PRIOR = 2.5        # least establishments added to a NAF class before weighting
KEEP_MIN = 0.0005       # rows kept when weight or share of intermediate use >= 0.05 %
CHARACTERISTIC = 0.5    # construction trades: share of their materials that are their own (convention)
MATERIAL_BLOCKS = {"BZ", "CA", "CB", "CC", "CD", "CE", "CF", "CG", "CH", "CI", "CJ", "CK", "CL", "CM"}
# BEA commodities that no industry makes: noncomparable imports, scrap, used
# goods, rest-of-world adjustment. They are left out (methods.md says so).
BEA_SPECIAL = {"S00300", "S00401", "S00402", "S00900"}


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def expand(spec, classes):
    """'10 11.02 01.2' -> the NAF classes whose code starts with each item."""
    out = []
    for item in spec.split():
        hit = [c for c in classes if c == item or c.startswith(item + ".") or
               (len(item) == 4 and c.startswith(item))]
        if not hit:
            sys.exit(f"no NAF class matches {item!r}")
        out += [c for c in hit if c not in out]
    return out


class Model:
    def __init__(self, use=DEFAULT_USE):
        self.kind = USES[use]
        self.notes = []
        # NAF classes and their A38 branch.
        self.a38 = {}
        for r in rows("data/naf/naf.csv"):
            self.a38.setdefault(r["a615"], r["a38"])
        self.classes = sorted(self.a38)
        # French weights: establishments per class in the real extract.
        self.estab = collections.Counter()
        for r in rows("data/naf/sirene_strasbourg_2018_counts.csv"):
            c = r["subclass"][:5]
            n = int(r["establishments"])
            self.estab[c] += n
        # French weights within a BEA industry: establishments of the class in
        # the real extract, plus the median of a class of its NAF division,
        # at least SIZE_PRIOR (a class the extract lacks borrows its division's
        # typical weight instead of weighing nothing). Establishments rather
        # than jobs: the extract holds few plants, and one large plant would
        # make or unmake a class.
        division = collections.defaultdict(list)
        for c in self.classes:
            division[c[:2]].append(c)
        median = {d: sorted(self.estab[c] for c in cs)[len(cs) // 2] for d, cs in division.items()}
        self.size = {c: self.estab[c] + max(median[c[:2]], SIZE_PRIOR) for c in self.classes}
        self.load_concordance()
        self.load_bea()
        self.class_flows()
        self.france()
        self.construction()
        self.trade()

    # ------------------------------------------------------------ concordance
    def load_concordance(self):
        nace_isic = {r["nace2_class"]: r["isic4_class"] for r in
                     rows("data/sources/nace2_isic4_eurostat.csv")}
        by_isic = collections.defaultdict(list)
        for c, i in nace_isic.items():
            by_isic[i].append(c)
        split = {}
        for r in rows("tools/refdata/naics_nace_split.csv"):
            split[(r["naics2017_code"], r["isic4_code"])] = r["nace2_classes"].split()
        # NAICS -> ISIC links, weighted: a link that covers the whole NAICS
        # industry, or its main part ("except ..."), weighs 1; a link that
        # names a minor part weighs MINOR_LINK. Weights sum to 1 per NAICS.
        links = collections.defaultdict(list)
        main_links = {(r["naics2017_code"], r["isic4_code"]) for r in
                      rows("tools/refdata/naics_isic_main.csv")}
        for r in rows("data/sources/naics2017_isic4_census.csv"):
            isics = [r["isic4_code"]]
            if r["isic4_level"] == "group":
                isics = sorted(i for i in by_isic if i.startswith(r["isic4_code"]))
            main = (r["naics2017_code"], r["isic4_code"]) in main_links or r["naics_part"] == "0" or r["notes"].lower().startswith("except") or not r["notes"]
            for i in isics:
                links[r["naics2017_code"]].append((i, (1.0 if main else MINOR_LINK) / len(isics)))
        # NAICS -> NACE classes.
        self.naics_nace = {}
        unsplit = 0
        for naics, lst in links.items():
            tot = sum(w for _, w in lst)
            share = collections.Counter()
            for i, w in lst:
                cands = by_isic.get(i, [])
                if not cands:
                    continue  # ISIC 9810/9820: households' own use
                chosen = cands if len(cands) == 1 else split.get((naics, i))
                if chosen is None:
                    chosen = cands
                    unsplit += 1
                for c in chosen:
                    share[c] += w / tot / len(chosen)
            if share:
                self.naics_nace[naics] = share
        if unsplit:
            self.notes.append(f"{unsplit} NAICS links into split ISIC classes had no entry in"
                              " naics_nace_split.csv and were spread evenly")
        # BEA industry -> NACE affinity: the NAICS industries of each BEA
        # industry (a NAICS shared by k BEA industries counts 1/k in each).
        bea_naics = collections.defaultdict(set)
        for r in rows("data/sources/bea2017_naics2017.csv"):
            bea_naics[r["bea_detail_code"]].add(r["naics2017_code"])
        naics_k = collections.Counter(n for s in bea_naics.values() for n in s)
        self.affinity = collections.defaultdict(collections.Counter)  # bea -> class -> a
        for bea, ns in bea_naics.items():
            for n in ns:
                for c, w in self.naics_nace.get(n, {}).items():
                    self.affinity[bea][c] += w / naics_k[n]
        # A NAF class that no NAICS industry reaches (cider 11.03, sanitary
        # ceramics 23.42, coins 32.11...) takes its group's links (else its
        # division's), as an average of its siblings'. Households (97, 98)
        # and extraterritorial bodies (99) stay out.
        linked = collections.defaultdict(dict)
        for bea, a in self.affinity.items():
            for c, w in a.items():
                linked[c][bea] = w
        self.borrowed = []
        for c in self.classes:
            if c in linked or c[:2] in ("97", "98", "99"):
                continue
            for width in (4, 2):
                sib = [x for x in self.classes if x[:width] == c[:width] and x in linked]
                if sib:
                    break
            for x in sib:
                for bea, w in linked[x].items():
                    self.affinity[bea][c] += w / len(sib)
            self.borrowed.append(c)
        # A class's French weight is shared among its BEA industries in
        # proportion to affinity; sigma[bea][c] = share of the BEA industry's
        # activity done by class c (sums to 1 per BEA industry).
        per_class = collections.Counter()
        for bea, a in self.affinity.items():
            for c, w in a.items():
                per_class[c] += w
        self.sigma = {}
        for bea, a in self.affinity.items():
            part = {c: self.size[c] * w / per_class[c] for c, w in a.items()}
            tot = sum(part.values())
            self.sigma[bea] = {c: v / tot for c, v in part.items()}

    # -------------------------------------------------------------------- BEA
    def load_bea(self):
        make = collections.defaultdict(dict)  # commodity -> industry -> output
        for r in rows("data/sources/make_2017_detail.csv"):
            make[r["commodity_code"]][r["industry_code"]] = float(r["value_musd"])
        self.z = collections.defaultdict(float)  # (supplier industry, buyer industry) -> M$
        dropped = collections.Counter()
        for r in rows("data/sources/use_2017_detail_intermediate.csv"):
            k, j, v = r["commodity_code"], r["industry_code"], float(r["value_musd"])
            if v <= 0:
                continue
            m = make.get(k)
            if k in BEA_SPECIAL or not m:
                dropped[k] += v
                continue
            tot = sum(m.values())
            # Industry technology: commodity k comes from the industries that
            # make it, in proportion to their output of k.
            for i, out in m.items():
                self.z[(i, j)] += v * out / tot
        self.dropped = dropped
        # What households buy (retail's mix of goods) and what all users buy
        # (wholesale's), by BEA commodity = industry code.
        self.household = collections.Counter()
        for r in rows("data/sources/use_2017_detail_final_demand.csv"):
            if r["final_demand_code"] == "F01000":
                self.household[r["commodity_code"]] += max(0.0, float(r["value_musd"]))
        self.all_users = collections.Counter()
        for r in rows("data/sources/commodity_totals_2017.csv"):
            self.all_users[r["commodity_code"]] = float(r["total_intermediate_use"]) + \
                self.household[r["commodity_code"]]

    def load_lumped(self):
        """BEA industries that lump several products (sugar and confectionery,
        flour and malt, glass): for the buyers a row names, the industry's
        sales come from the NAF classes of the product they buy, in equal
        parts, instead of sigma. The first row that names a buyer wins."""
        self.lumped = {}
        for r in rows("data/io/lumped_products.csv"):
            i = r["bea_industry"]
            sup = expand(r["suppliers"], self.classes)
            bad = [c for c in sup if c not in self.sigma.get(i, {})]
            if bad:
                sys.exit(f"lumped_products.csv: {' '.join(bad)} make nothing of BEA {i}")
            for b in expand(r["buyers"], self.classes):
                self.lumped.setdefault((i, b), {c: 1.0 / len(sup) for c in sup})

    def class_flows(self):
        """F[s][b] = sum over BEA industries i, j of sigma(s|i) Z[i][j] sigma(b|j),
        with lumped_products.csv's split in place of sigma(s|i) where it applies."""
        self.load_lumped()
        self.f = collections.defaultdict(float)
        lost = 0.0
        for (i, j), v in self.z.items():
            si, sj = self.sigma.get(i), self.sigma.get(j)
            if not si or not sj:
                lost += v
                continue
            for b, wb in sj.items():
                for s, ws in self.lumped.get((i, b), si).items():
                    self.f[(s, b)] += v * ws * wb
        self.bea_lost = lost

    # ----------------------------------------------------------------- France
    def france(self):
        use = {}
        with open(self.kind["insee"][0], encoding="utf-8") as fh:
            rd = csv.reader(fh)
            head = next(rd)[1:]
            for r in rd:
                for b, v in zip(head, r[1:]):
                    use[(r[0], b)] = float(v)
        self.use = use
        members = collections.defaultdict(list)
        for c in self.classes:
            if self.a38[c] in head:
                members[self.a38[c]].append(c)
        self.members = members
        # The middle layer: France's WIOD table (2014, 56 industries, about
        # NAF divisions) says how each A38 block divides between the WIOD
        # industries on both sides; the BEA flows divide each part between
        # NAF classes.
        wiod_of_div = {}
        for r in rows("data/io/wiod_industries.csv"):
            for d in r["divisions"].split():
                wiod_of_div[d] = r["code"]
        wiod = collections.defaultdict(float)
        for path in self.kind["wiod"]:  # domestic, then imports: the same order, the same sums
            with open(path, encoding="utf-8") as fh:
                rd = csv.reader(fh)
                whead = next(rd)[1:]
                for r in rd:
                    for ind, v in zip(whead, r[1:]):
                        wiod[(r[0], ind)] += max(0.0, float(v))
        self.wiod = wiod
        self.unit = {c: (self.a38[c], wiod_of_div.get(c[:2], "")) for c in self.classes}
        block = collections.defaultdict(float)  # BEA flows by (A38, A38)
        sub = collections.defaultdict(float)    # by ((A38, WIOD), (A38, WIOD))
        for (s, b), v in self.f.items():
            if s in self.a38 and b in self.a38:
                block[(self.a38[s], self.a38[b])] += v
                sub[(self.unit[s], self.unit[b])] += v
        self.block, self.sub = block, sub
        units = collections.defaultdict(set)  # A38 -> its (A38, WIOD) units
        umembers = collections.defaultdict(list)
        for c in self.classes:
            if self.a38[c] in head:
                units[self.a38[c]].add(self.unit[c])
                umembers[self.unit[c]].append(c)
        ff = collections.defaultdict(float)
        fallback = 0.0

        def spread(amount, sp_list, sb_list):
            sp = sum(self.size[c] for c in sp_list)
            sb = sum(self.size[c] for c in sb_list)
            for x in sp_list:
                for y in sb_list:
                    ff[(x, y)] += amount * self.size[x] / sp * self.size[y] / sb

        self.share_of_sub = {}
        for (p, bb), u in use.items():
            if u <= 0:
                continue
            parts = {(up, ub): wiod.get((up[1], ub[1]), 0.0)
                     for up in units[p] for ub in units[bb]}
            total = sum(parts.values())
            if total <= 0:
                parts = {(up, ub): sub.get((up, ub), 0.0) for up in units[p] for ub in units[bb]}
                total = sum(parts.values())
            if total <= 0:
                # Neither table has a flow inside this block: spread France's
                # figure over its classes by French size on both sides.
                fallback += u
                spread(u, members[p], members[bb])
                continue
            for (up, ub), w in parts.items():
                if w <= 0:
                    continue
                amount = u * w / total
                self.share_of_sub[(up, ub)] = w / total
                den = sub.get((up, ub), 0.0)
                if den <= 0:
                    fallback += amount
                    spread(amount, umembers[up], umembers[ub])
                    continue
                for x in umembers[up]:
                    for y in umembers[ub]:
                        v = self.f.get((x, y), 0.0)
                        if v > 0:
                            ff[(x, y)] += amount * v / den
        self.ff = ff
        self.fallback = fallback
        col = collections.defaultdict(float)
        for (s, b), v in ff.items():
            col[b] += v
        self.col = col
        self.ic = {(s, b): v / col[b] for (s, b), v in ff.items() if col[b] > 0}

    # ----------------------------------------------------------- construction
    def construction(self):
        """BEA's construction industries are types of structures, not trades:
        every NAF class of construction gets the same mix of materials. Half
        of a trade's purchases of materials (mining and manufacturing
        products, as the table gives them) go to its characteristic
        materials, in equal parts; the other half keep the table's
        split. The class's total of materials and its other inputs are kept."""
        self.characteristic = set()
        for r in rows("data/io/construction_materials.csv"):
            b = r["class"]
            mats = expand(r["materials"], self.classes)
            self.characteristic.add(b)
            total = sum(v for (s, y), v in self.ic.items() if y == b and self.a38.get(s) in MATERIAL_BLOCKS)
            if total <= 0:
                continue
            for (s, y) in list(self.ic):
                if y == b and self.a38.get(s) in MATERIAL_BLOCKS:
                    self.ic[(s, b)] *= 1 - CHARACTERISTIC
            for c in mats:
                self.ic[(c, b)] = self.ic.get((c, b), 0.0) + CHARACTERISTIC * total / len(mats)

    # ------------------------------------------------------------------ trade
    def demand(self, c, users):
        """What `users` (BEA demand by commodity) buy of class c's products."""
        return sum(sg.get(c, 0.0) * users[bea] for bea, sg in self.sigma.items())

    def trade(self):
        """Goods for resale: a retailer resells what households buy of its
        goods, a wholesaler what all users buy; the makers of each class get
        that class's part (BEA 2017 household consumption, or intermediate
        use plus household consumption, of the class's products). A class's
        wholesalers share half of a retailer's goods in proportion to the
        same demand of the goods they carry."""
        self.general = {r["class"] for r in rows("data/io/general_inputs.csv")}
        self.resale = collections.defaultdict(float)
        self.trade_buyers = set()
        for r in rows("data/io/trade_resale.csv"):
            b = r["trade_class"]
            users = self.household if b.startswith("47.") else self.all_users
            makers = expand(r["makers"], self.classes)
            whole = expand(r["wholesalers"], self.classes) if r["wholesalers"] else []
            self.trade_buyers.add(b)
            parts = [(makers, 1.0 - (RETAIL_FROM_WHOLESALE if whole else 0))]
            if whole:
                parts.append((whole, RETAIL_FROM_WHOLESALE))
            for lst, share in parts:
                dem = {c: self.demand(c, users) for c in lst}
                if sum(dem.values()) <= 0 or lst is whole:
                    dem = {c: self.size[c] for c in lst}
                tot = sum(dem.values())
                for c in lst:
                    self.resale[(c, b)] += share * dem[c] / tot

    def weight(self, s, b):
        ic = self.ic.get((s, b), 0.0)
        if b in self.trade_buyers:
            return (1 - RESALE_SHARE) * ic + RESALE_SHARE * self.resale.get((s, b), 0.0)
        return ic

    def write(self, path):
        keys = sorted(set(self.ic) | set(self.resale))
        n = 0
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["supplier", "buyer", "weight", "ic_share", "resale_share", "general"])
            for s, b in keys:
                ic, rs, wt = self.ic.get((s, b), 0.0), self.resale.get((s, b), 0.0), self.weight(s, b)
                if max(ic, wt) < KEEP_MIN:
                    continue
                w.writerow([s, b, f"{wt:.6f}", f"{ic:.6f}", f"{rs:.6f}",
                            1 if s in self.general and rs == 0 else 0])
                n += 1
        return n

    def explain(self, s, b):
        p, bb = self.a38[s], self.a38[b]
        us, ub = self.unit[s], self.unit[b]
        col_fr = sum(v for (x, y), v in self.use.items() if y == bb)
        print(f"supplier class {s} (A38 {p}, WIOD {us[1]}), buyer class {b} (A38 {bb}, WIOD {ub[1]})")
        year, what, goods = self.kind["insee"][1], self.kind["what"], self.kind["goods"]
        print(f"1. France {year} (INSEE, {what}, A38): branch {bb} buys {self.use[(p, bb)]:.0f} M€ of"
              f" product {p}, out of {col_fr:.0f} M€ of {goods} ({self.use[(p, bb)] / col_fr:.4f})")
        w = self.wiod.get((us[1], ub[1]), 0.0)
        print(f"2. France 2014 (WIOD, {what}): within that block, {us[1]} -> {ub[1]} is"
              f" {self.share_of_sub.get((us, ub), 0):.4f} of the block ({w:.0f} M$)")
        print(f"3. US 2017 (BEA detail): flows {us[1]} -> {ub[1]} between the NAF classes of the"
              f" block: {self.sub.get((us, ub), 0):.1f} M$, of which class {s} -> class {b}:"
              f" {self.f.get((s, b), 0):.1f} M$")
        for bea, sg in sorted(self.sigma.items()):
            lump = self.lumped.get((bea, b))
            if lump and s in lump:
                print(f"     {b} buys BEA {bea} from {' '.join(sorted(lump))} in equal parts"
                      f" (lumped_products.csv): {s} gets {lump[s]:.4f}")
            elif s in sg and sg[s] > 0.001:
                print(f"     sigma({s} | BEA {bea}) = {sg[s]:.4f}")
            if b in sg and sg[b] > 0.001 and s != b:
                print(f"     sigma({b} | BEA {bea}) = {sg[b]:.4f}")
        amount = self.use[(p, bb)] * self.share_of_sub.get((us, ub), 0)
        print(f"4. class flow {s} -> {b} = {self.use[(p, bb)]:.0f} x"
              f" {self.share_of_sub.get((us, ub), 0):.4f} x {self.f.get((s, b), 0):.1f}"
              f" / {self.sub.get((us, ub), 0):.1f} = {amount * self.f.get((s, b), 0) / max(self.sub.get((us, ub), 0), 1e-9):.1f} M€")
        print(f"5. class {b} buys {self.col[b]:.1f} M€ of {goods} in all (the sum of step 4"
              " over every supplier class)")
        raw = self.ff.get((s, b), 0) / self.col[b] if self.col[b] else 0
        print(f"6. share = {self.ff.get((s, b), 0):.1f} / {self.col[b]:.1f} = {raw:.6f}")
        if b in self.characteristic:
            print(f"   (construction trade: characteristic materials applied: {self.ic.get((s, b), 0):.6f})")
        print(f"weight = {self.weight(s, b):.6f}" +
              (" (trade buyer: goods for resale included)" if b in self.trade_buyers else ""))
        top = sorted(((v, c) for (c, y), v in self.ic.items() if y == b), reverse=True)[:15]
        print(f"largest shares of class {b}'s intermediate consumption ({what}):")
        for v, c in top:
            print(f"  {c} {v:.4f}{' (general input)' if c in self.general else ''}")


USAGE = "usage: tools/refdata/io_naf.py [--use total|domestic] [--out FILE] | [--use ...] --explain SUPPLIER BUYER"


def main():
    args = sys.argv[1:]
    use = DEFAULT_USE
    if len(args) >= 2 and args[0] == "--use":
        use = args[1]
        args = args[2:]
        if use not in USES:
            sys.exit(USAGE)
    if len(args) == 3 and args[0] == "--explain":
        Model(use).explain(args[1], args[2])
        return
    out = TABLE
    if len(args) == 2 and args[0] == "--out":
        out = args[1]
    elif args or use != DEFAULT_USE:
        # The shipped table is the default variant's; another needs --out.
        sys.exit(USAGE)
    m = Model(use)
    n = m.write(out)
    tot_z = sum(m.z.values())
    print(f"wrote {out} ({use} intermediate uses): {n} rows")
    print(f"BEA: {sum(m.dropped.values()):.0f} M$ of special commodities left out "
          f"({', '.join(sorted(m.dropped))}); {m.bea_lost:.0f} of {tot_z:.0f} M$ between industries "
          "without a NAF class (government enterprises, customs duties, households)")
    print(f"France: {m.fallback:.0f} M€ of {sum(m.use.values()):.0f} M€ in blocks where the US table"
          " has no flow, spread by French size")
    print(f"classes no NAICS industry reaches, given their group's links: {' '.join(m.borrowed)}")
    for note in m.notes:
        print("note:", note)


main()
