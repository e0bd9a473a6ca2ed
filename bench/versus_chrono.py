#!/usr/bin/env python3
"""gleaner against chrono-node, side by side, whole process, one thread.

Runs `gleaner --jsonl --threads 1` (all four record types) and chrono-node (dates alone, the
npm package, installed on first use into build-peer/) over the same JSON Lines file, in
alternation, several times, and prints each run and the median MB/s of text for both and their
ratio. The machines are noisy: compare medians, not single runs.

  python3 bench/versus_chrono.py --gleaner build/gleaner ../shared/corpus/news.jsonl
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def install_chrono(prefix):
    if not os.path.isdir(os.path.join(prefix, "node_modules", "chrono-node")):
        os.makedirs(prefix, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix",
                        prefix, "chrono-node"], check=True)
    return os.path.join(prefix, "node_modules")


def timed(cmd, path, env=None):
    with open(path, "rb") as stdin:
        t = time.perf_counter()
        p = subprocess.run(cmd, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           env=env)
        secs = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"{cmd[0]} failed ({p.returncode}): {p.stderr.decode(errors='replace')[:300]}")
    return secs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", help="JSON Lines: {\"id\", \"text\", \"reference_date\"}")
    ap.add_argument("--gleaner", default="build/gleaner")
    ap.add_argument("--peer-prefix", default="build-peer", help="where chrono-node is installed")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    with open(args.corpus, encoding="utf-8") as f:
        mb = sum(len(json.loads(line)["text"].encode()) for line in f if line.strip()) / 1e6
    env = dict(os.environ, NODE_PATH=install_chrono(args.peer_prefix))
    node = ["node", os.path.join(HERE, "peer", "chrono.js")]
    ours = [args.gleaner, "--jsonl", "--threads", "1"]
    g, c = [], []
    for run in range(args.runs):
        g.append(timed(ours, args.corpus))
        c.append(timed(node, args.corpus, env))
        print(f"run {run + 1}: gleaner {mb / g[-1]:.2f} MB/s ({g[-1]:.2f} s), "
              f"chrono-node {mb / c[-1]:.2f} MB/s ({c[-1]:.2f} s)")
    gm, cm = mb / statistics.median(g), mb / statistics.median(c)
    print(f"median over {args.runs} runs, {mb:.1f} MB of text: gleaner {gm:.2f} MB/s "
          f"(all four record types), chrono-node {cm:.2f} MB/s (dates only); "
          f"gleaner/chrono-node = {gm / cm:.2f}")


if __name__ == "__main__":
    main()
