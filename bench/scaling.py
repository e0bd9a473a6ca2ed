#!/usr/bin/env python3
"""Time per document against document size: is every pass linear?

Builds one document per kind at sizes S and 4*S (and more with --factors), runs the extractor
on each as a single document, and prints seconds, peak memory and the ratio to the smallest
size. A linear pipeline gives a ratio near the size ratio (4S about 4x S); the issue's bar is
at most about 5x. The texts are our own sentences, repeated with changing names and numbers
so that every repetition is new to the passes that remember what they saw.

  python3 bench/scaling.py --gleaner build/gleaner            # S = 100 KB, 4S = 400 KB
  python3 bench/scaling.py --gleaner build/gleaner --size 4000000 --factors 1 4
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

FIRST = ["Maria", "Tomas", "Aisha", "Peter", "Lena", "Omar", "Grace", "Ivan", "Nadia", "Felix"]
LAST = ["Okafor", "Lindqvist", "Moreau", "Castellano", "Haddad", "Novak", "Brennan", "Sato"]
PLACES = ["Lyon", "Nairobi", "Denver", "Porto", "Krakow", "Osaka", "Tucson", "Bergen", "Quito"]
MONTHS = ["January", "March", "May", "July", "September", "November"]


def news(i):
    n = FIRST[i % len(FIRST)] + " " + LAST[(i // 3) % len(LAST)]
    p = PLACES[i % len(PLACES)]
    return (f"About {120 + i % 900} workers walked out at a plant near {p} on Tuesday, and "
            f"{3 + i % 40} managers were suspended, the union said. {n}, who leads the branch, "
            f"said the strike would last until {MONTHS[i % 6]} {1 + i % 28}. Police arrested "
            f"{2 + i % 17} people in {p} last week.\n\n")


def quotes(i):
    n = FIRST[i % len(FIRST)] + " " + LAST[(i // 2) % len(LAST)]
    surname = n.split()[1]
    return (f"\u201cWe will not accept this offer,\u201d said {n}, a spokeswoman for the group. "
            f"\u201cIt is too little and it comes too late.\u201d {surname} added that she "
            f"expected more talks. \u201cThey know what we want,\u201d she said. The minister "
            f"said: \u201cThe door remains open.\u201d \u201cWe are ready,\u201d he told "
            f"reporters.\n\n")


def dates(i):
    y = 1990 + i % 30
    return (f"The hearing moved from {MONTHS[i % 6]} {1 + i % 28}, {y} to {MONTHS[(i + 1) % 6]} "
            f"{1 + (i + 5) % 28} and then to the spring of {y + 1}; on Monday, two weeks later, "
            f"the court sat for three days, and by the end of {y + 2} it had met every Friday "
            f"since {2 + i % 10} March, twice in the fourth quarter and again at 10:30 a.m. "
            f"on {1 + i % 12}/{1 + i % 28}/{y}.\n")


def places(i):
    names = [PLACES[(i + k) % len(PLACES)] for k in range(6)]
    return ("Teams came from " + ", ".join(names) + ", Kenya, Japan, Ecuador and Norway, "
            f"and from Paris, Texas and Paris, France for the {i}th meeting.\n")


# Every place of the gazetteer, in file order: a list of distinct names tests that resolving
# places does not compare every name with every other.
GAZETTEER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "rules", "gazetteer",
                         "places.tsv")
_NAMES = []


def distinct_places(i):
    if not _NAMES:
        with open(GAZETTEER, encoding="utf-8") as f:
            for row in f:
                cols = row.split("\t")
                if not row.startswith("#") and len(cols) > 1 and cols[1][:1].isupper():
                    _NAMES.append(cols[1])
    names = [_NAMES[(i * 5 + k) % len(_NAMES)] for k in range(5)]
    return "Reporters filed from " + ", ".join(names) + " on the same day.\n"


KINDS = {"news": news, "quotes": quotes, "dates": dates, "places": places,
         "distinct_places": distinct_places}


def make(kind, size):
    parts, total, i = [], 0, 0
    while total < size:
        s = KINDS[kind](i)
        parts.append(s)
        total += len(s.encode())
        i += 1
    return "".join(parts)


def run(gleaner, path, timeout):
    t = time.perf_counter()
    err = tempfile.TemporaryFile()
    p = subprocess.Popen([gleaner, "--reference-date", "2024-05-14", path],
                         stdout=subprocess.DEVNULL, stderr=err)
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - t > timeout:
            p.kill()
            p.wait()
            return None, None, "timeout"
        time.sleep(0.01)
    secs = time.perf_counter() - t
    rss = usage.ru_maxrss / 1024  # Linux reports KB
    code = os.waitstatus_to_exitcode(status)
    err.seek(0)
    message = err.read().decode(errors="replace").strip().splitlines()
    return secs, rss, ("ok" if code == 0 else f"exit {code}: {message[-1] if message else ''}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gleaner", default="build/gleaner")
    ap.add_argument("--size", type=int, default=100_000, help="S in bytes (default 100 KB)")
    ap.add_argument("--factors", type=int, nargs="+", default=[1, 4])
    ap.add_argument("--kinds", nargs="+", default=list(KINDS))
    ap.add_argument("--timeout", type=float, default=120)
    args = ap.parse_args()
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'kind':15} {'bytes':>10} {'seconds':>8} {'peak MB':>8} {'ratio':>6}")
        for kind in args.kinds:
            base = None
            for f in args.factors:
                path = os.path.join(tmp, f"{kind}-{f}.txt")
                with open(path, "w", encoding="utf-8") as out:
                    out.write(make(kind, args.size * f))
                secs, rss, status = run(args.gleaner, path, args.timeout)
                if secs is None or status != "ok":
                    print(f"{kind:15} {os.path.getsize(path):>10} {status}")
                    worst = float("inf")
                    break
                ratio = ""
                if base is None:
                    base = (f, secs)
                else:
                    r = secs / base[1]
                    ratio = f"{r:.1f}x"
                    worst = max(worst, r / (f / base[0]))
                print(f"{kind:15} {os.path.getsize(path):>10} {secs:8.2f} {rss:8.0f} {ratio:>6}")
    print(f"worst ratio over size ratio: {worst:.2f} (1.0 is linear; the bar is about 1.25)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
