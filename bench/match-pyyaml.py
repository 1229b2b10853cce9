#!/usr/bin/env python3
"""What a user would write instead of `refctl match`: load every advocate
with PyYAML's C loader (CSafeLoader, libyaml underneath) and rank by the
same criteria and weights as bench/cache.sh's match (industry, region,
product, use case; refctl.yaml's default weights 3, 2, 3, 4), keeping
available ones (status active or happy, consent not expired), top 10.

Usage: bench/match-pyyaml.py REPO
"""
import os
import sys

import yaml

WANT = {"industry": ("manufacturing", 3), "region": ("emea", 2),
        "products": ("analytics", 3), "use_cases": ("supply-chain-visibility", 4)}
TODAY = os.environ.get("REFCTL_TODAY", "2026-11-15")


def main():
    folder = os.path.join(sys.argv[1], "advocates")
    ranked = []
    possible = sum(w for _, w in WANT.values())
    for name in os.listdir(folder):
        if not name.endswith(".yaml"):
            continue
        with open(os.path.join(folder, name), "rb") as f:
            a = yaml.load(f, Loader=yaml.CSafeLoader)
        if not isinstance(a, dict) or a.get("status") not in ("active", "happy"):
            continue
        until = (a.get("consent") or {}).get("until")
        if until is not None and str(until) < TODAY:
            continue
        earned = 0
        for field, (value, weight) in WANT.items():
            have = a.get(field)
            if have == value or (isinstance(have, list) and value in have):
                earned += weight
        if earned:
            load = sum(1 for r in a.get("requests") or [] if r.get("status") in ("requested", "accepted", "scheduled"))
            ranked.append((-earned / possible, load, a.get("id", name)))
    ranked.sort()
    for rel, load, ident in ranked[:10]:
        print("%s\t%d%%\t%d" % (ident, round(-rel * 100), load))


main()
