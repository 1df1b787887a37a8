#!/usr/bin/env python3
"""Set two JSON-lines result files side by side (see README.md next to this file).

    python3 benchmarks/peers/compare.py deneb.jsonl torch.jsonl

For each (workload, case, threads) present in both, prints both values and the speed-up of the first over the
second: > 1 means the first is faster (for 'higher is better' metrics it is a/b, for 'lower' it is b/a). A key
measured several times (sitting.sh's rounds) shows the median of its values, and the range when there are several.
Exit status 0; lines present in only one file are listed at the end.
"""
import json
import statistics
import sys


def load(path):
    runs = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            r = json.loads(line)
            runs.setdefault((r["workload"], r["case"], int(r["threads"])), []).append(r)
    out = {}
    for key, rs in runs.items():
        values = [float(r["value"]) for r in rs]
        out[key] = dict(rs[0], value=statistics.median(values), low=min(values), high=max(values), n=len(values))
    return out


def shown(r):
    if r["n"] == 1:
        return f"{r['value']:.4g}"
    return f"{r['value']:.4g} ({r['low']:.4g}-{r['high']:.4g})"


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    a, b = load(sys.argv[1]), load(sys.argv[2])
    print(f"{'workload':12} {'case':22} {'thr':>3} {'metric':12} {'first':>24} {'second':>24} {'speed-up':>9}")
    for key in sorted(a.keys() & b.keys()):
        ra, rb = a[key], b[key]
        if ra["metric"] != rb["metric"]:
            print(f"{key}: metrics differ ({ra['metric']} vs {rb['metric']})")
            continue
        va, vb = float(ra["value"]), float(rb["value"])
        up = va / vb if ra["better"] == "higher" else vb / va
        print(f"{key[0]:12} {key[1]:22} {key[2]:>3} {ra['metric']:12} {shown(ra):>24} {shown(rb):>24} {up:9.3f}")
    for name, only in (("first", a.keys() - b.keys()), ("second", b.keys() - a.keys())):
        for key in sorted(only):
            print(f"only in {name}: {key}")


if __name__ == "__main__":
    main()
