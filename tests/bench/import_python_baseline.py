#!/usr/bin/env python3
"""Baseline for import_bench.sh: the same bestuur scoping with Python's csv module."""
import csv
import sys

d, bestuur = sys.argv[1], sys.argv[2]


def rows(name):
    with open(f"{d}/{name}.csv", newline="", encoding="utf-8-sig") as f:
        r = csv.reader(f)
        header = next(r)
        idx = {h: i for i, h in enumerate(header)}
        for row in r:
            yield idx, row


aanbieders = {row[i["ONDERWIJSAANBIEDERID"]] for i, row in
              rows("relaties_onderwijsbesturen_onderwijsaanbieders")
              if row[i["ONDERWIJSBESTUURID"]] == bestuur}
counts = {}
for oe_f, ao_f, co_f in [("ho_opleidingen", "aangeboden_ho_opleidingen", "aangeboden_ho_opleiding_cohorten"),
                         ("ho_opleidingsonderdelen", "aangeboden_ho_opleidingsonderdelen",
                          "aangeboden_ho_opleidingsonderdeel_cohorten"),
                         ("nfo_opleidingen", "aangeboden_nfo_opleidingen", "aangeboden_nfo_opleiding_cohorten")]:
    all_oe, oes = set(), {}
    for i, row in rows(oe_f):
        code = row[i["OPLEIDINGSEENHEIDCODE"]].strip()
        all_oe.add(code)
        if row[i["EIGENAAR"]].strip() == bestuur:
            oes.setdefault(code, []).append(row)
    all_ao, aos = set(), {}
    for i, row in rows(ao_f):
        code, oe = row[i["AANGEBODEN_OPLEIDINGCODE"]], row[i["OPLEIDINGSEENHEIDCODE"]]
        all_ao.add(code)
        if oe not in all_oe:
            sys.exit(f"orphan {code}")
        if row[i["ONDERWIJSAANBIEDERID"]] in aanbieders or oe in oes:
            aos.setdefault(code, []).append(row)
    cohorts = 0
    for i, row in rows(co_f):
        code = row[i["AANGEBODEN_OPLEIDINGCODE"]]
        if code not in all_ao:
            sys.exit(f"orphan cohort {code}")
        if code in aos:
            cohorts += 1
    counts[oe_f] = (len(oes), len(aos), cohorts)
print(counts)
