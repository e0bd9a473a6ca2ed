#!/usr/bin/env python3
"""Accuracy floors on the development gold sets in ../shared (skipped when it is absent).

Runs ../shared/eval/evaluate.py with the built extractor and fails if a figure drops below the
floor of issue 2: seed (every type F1 >= 0.90, every scored attribute F1 >= 0.80),
tempeval3-train (date F1 >= 0.85, value F1 >= 0.65), quotes-polnear-dev (quote F1 >= 0.75).
Exit 77 (ctest's skip code) when ../shared/eval is not there.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

FLOORS = {
    "seed.jsonl": {t: {"f1": 0.90, "attrs": 0.80} for t in ("date", "count", "location", "quote")},
    "tempeval3-train.jsonl": {"date": {"f1": 0.85, "value_f1": 0.65}},
    "quotes-polnear-dev.jsonl": {"quote": {"f1": 0.75}},
}
ATTRS = {"date": ["value_f1"], "count": ["value_f1", "entity_f1", "event_f1"],
         "location": ["resolved_f1"], "quote": ["speaker_f1"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gleaner", required=True)
    ap.add_argument("--shared", required=True)
    a = ap.parse_args()
    evaluate = os.path.join(a.shared, "eval", "evaluate.py")
    if not os.path.exists(evaluate):
        print(f"SKIPPED: {a.shared}/eval not found; accuracy floors not checked")
        return 77
    failures = []
    for name, floors in FLOORS.items():
        gold = os.path.join(a.shared, "eval", "gold", name)
        if not os.path.exists(gold):
            print(f"SKIPPED: {gold} not found")
            continue
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
            out = f.name
        types = ",".join(floors)
        run = subprocess.run([sys.executable, evaluate, "--cmd", f"{a.gleaner} --jsonl", gold,
                              "--types", types, "--json", out], capture_output=True, text=True)
        print(run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr)
        if run.returncode != 0:
            failures.append(f"{name}: evaluate.py failed: {run.stderr[-500:]}")
            continue
        figures = json.load(open(out))
        os.unlink(out)
        for t, floor in floors.items():
            row = figures.get(t, {})
            checks = [("f1", floor["f1"])]
            if "value_f1" in floor:
                checks.append(("value_f1", floor["value_f1"]))
            if "attrs" in floor:
                checks += [(k, floor["attrs"]) for k in ATTRS[t]]
            for key, minimum in checks:
                got = row.get(key, 0.0)
                if got < minimum:
                    failures.append(f"{name} {t} {key} {got:.3f} < {minimum}")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
