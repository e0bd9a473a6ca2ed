#!/usr/bin/env python3
"""The batch contract under hostile input (run by ctest as "hostile.batch").

Every line of a hostile batch gives one output line, in order; nothing ends in a signal; the
exit status is non-zero whenever an input failed or output could not be written; memory stays
bounded. Usage: hostile_batch.py GLEANER
"""
import json
import os
import select
import subprocess
import sys
import tempfile

GLEANER = sys.argv[1]
SANITIZED = "--sanitized" in sys.argv[2:]
failures = []


def check(cond, what):
    print(("ok:   " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


def run(args, stdin=None, **kw):
    return subprocess.run([GLEANER] + args, input=stdin, capture_output=True, timeout=300, **kw)


def max_rss_kb(args, stdin_path=None):
    """Peak resident memory of one run, in KiB (measured in a fresh process of its own)."""
    code = (
        "import resource,subprocess,sys\n"
        "f=open(sys.argv[2],'rb') if sys.argv[2] else subprocess.DEVNULL\n"
        "subprocess.run(sys.argv[3:],stdin=f,stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", code, "x", stdin_path or "", GLEANER] + args,
                         capture_output=True, text=True, timeout=300)
    return int(out.stdout.strip())


tmp = tempfile.mkdtemp(prefix="gleaner-hostile-")

# --- One hostile batch: each line is a different way to be wrong, between good lines. -------
bad = [
    b"",
    b"   \t ",
    b"\r",
    b"not json at all",
    b"{\"id\": 1, \"text\": ",
    b"[\"an\", \"array\"]",
    b"\"a string\"",
    b"{\"id\": 2}",
    b"{\"id\": 3, \"text\": 42}",
    b"{\"id\": 4, \"text\": \"x\", \"reference_date\": 20200101}",
    b"{\"id\": 5, \"text\": \"x\", \"reference_date\": \"2020-02-31\"}",
    b"{\"id\": 6, \"text\": \"x\", \"reference_date\": \"0000-01-01\"}",
    b"{\"id\": 7, \"text\": \"bad \xff\xfe utf-8 inside a string\"}",
    b"{\"id\": 8, \"text\": \"nul \x00 byte\"}",
    b"{\"id\": " + b"[" * 100000 + b"]" * 100000 + b", \"text\": \"deep\"}",
    b"{\"id\": 9, \"text\": \"x\"} trailing",
    b"{\"id\": 10, \"text\": \"" + b"a" * 5000 + b"\"}",  # over --max-line-bytes below
    b"{\"id\": 11, \"text\": \"lone surrogate \\ud800 escaped\"}",
    b"{\"id\": 1e400, \"text\": \"x\"}",
]
good = [
    b"{\"id\": \"g0\", \"text\": \"Twelve miners were rescued on Friday, officials said.\"}",
    b"\xef\xbb\xbf{\"id\": \"g1\", \"text\": \"a BOM at the start\"}",  # replaced below
    b"{\"id\": \"g2\", \"text\": \"CRLF line, 3 boats sank.\"}\r",
    b"{\"id\": 123456789012345678901234567890, \"text\": \"A huge id.\"}",
    b"{\"id\": {\"nested\": [1.50, \"x\"]}, \"text\": \"An object id.\"}",
    b"{\"id\": \"g5\", \"text\": \"a pair \\ud83d\\ude00 escaped\", \"extra\": {\"k\": null}}",
    b"{\"id\": \"g6\", \"text\": \"" + "“quoted”, «guillemets» — 5 people".encode() + b"\"}",
    b"{\"id\": \"g7\", \"text\": \"" + b"\\\"a " * 800 + b"\"}",
    b"{\"id\": \"g8\", \"text\": \"\"}",
]
lines = []
expect_error = []
for i in range(max(len(bad), len(good))):
    if i < len(good):
        lines.append(good[i])
        expect_error.append(False)
    if i < len(bad):
        lines.append(bad[i])
        expect_error.append(True)
# A BOM is skipped only at the very start of the input: put the BOM line first.
lines[0], expect_error[0] = good[1], False
lines[2] = good[0]
batch = b"\n".join(lines) + b"\n" + b"{\"id\": \"last\", \"text\": \"no newline at the end\"}"
lines.append(b"last")
expect_error.append(False)
path = os.path.join(tmp, "hostile.jsonl")
with open(path, "wb") as f:
    f.write(batch)

outputs = {}
for threads in ("1", "4"):
    r = run(["--jsonl", "--threads", threads, "--max-line-bytes", "4096", path])
    check(r.returncode == 1, f"threads {threads}: exit 1 when lines failed (got {r.returncode})")
    out = r.stdout.split(b"\n")
    check(out[-1] == b"", f"threads {threads}: output ends with a newline")
    out = out[:-1]
    check(len(out) == len(lines),
          f"threads {threads}: one output line per input line ({len(out)} for {len(lines)})")
    parsed = [json.loads(o) for o in out]
    errors = [("error" in p) for p in parsed]
    check(errors == expect_error[:len(errors)],
          f"threads {threads}: error objects exactly for the bad lines, in input order")
    check(parsed[-1]["id"] == "last", f"threads {threads}: the last line is answered last")
    stderr_lines = [l for l in r.stderr.decode(errors="replace").split("\n") if l]
    check(len(stderr_lines) == sum(expect_error),
          f"threads {threads}: one stderr message per failed line")
    outputs[threads] = r.stdout
check(outputs["1"] == outputs["4"], "1 and 4 threads give the same bytes")
check(b"{\"id\":123456789012345678901234567890," in outputs["1"], "a huge id is echoed as given")
check(b"{\"id\":{\"nested\": [1.50, \"x\"]}," in outputs["1"], "an object id is echoed as given")

# --- Output that cannot be written. -----------------------------------------------------------
for args in (["--jsonl", path], ["--jsonl", "--threads", "2", path], [path]):
    with open("/dev/full", "wb") as full:
        r = subprocess.run([GLEANER] + args, stdout=full, stderr=subprocess.PIPE, timeout=120)
    check(r.returncode == 1 and b"write error" in r.stderr,
          f"{' '.join(args[:-1]) or 'text'} to /dev/full: exit 1 with a write error "
          f"(got {r.returncode})")

big = os.path.join(tmp, "many.jsonl")
with open(big, "w") as f:
    for i in range(3000):
        f.write(json.dumps({"id": i, "text": "Seven people were hurt on Monday. " * 20}) + "\n")
for threads in ("1", "2"):
    p = subprocess.Popen([GLEANER, "--jsonl", "--threads", threads, big], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    p.stdout.readline()
    p.stdout.close()  # the reader goes away
    rc = p.wait(timeout=120)
    err = p.stderr.read()
    check(rc == 1 and b"write error" in err,
          f"threads {threads}: a closed pipe is a write error, not a signal (exit {rc})")

# Output fails while the input stays open and silent (tail -f | gleaner | head -1): gleaner
# must stop at once, not wait for a line that may never come.
for threads in ("1", "2"):
    p = subprocess.Popen([GLEANER, "--jsonl", "--threads", threads], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdin.write(b'{"id": 1, "text": "Two ships docked."}\n')
    p.stdin.flush()
    p.stdout.readline()
    p.stdout.close()  # the reader goes away; the next answer cannot be written
    p.stdin.write(b'{"id": 2, "text": "Three ships left."}\n')
    p.stdin.flush()
    try:
        rc = p.wait(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = "still running after 20 s"
    p.stdin.close()
    check(rc == 1, f"threads {threads}: a failed write ends the batch while the input is still "
                   f"open (exit {rc})")

# --- Input that cannot be read, or has no end. ------------------------------------------------
r = run(["/dev/zero"])
check(r.returncode == 1 and b"larger than" in r.stderr, "gleaner /dev/zero is refused (exit 1)")
r = run(["--jsonl", os.path.join(tmp, "no-such-file.jsonl")])
check(r.returncode == 1 and b"cannot open" in r.stderr, "a missing --jsonl input: exit 1")
tree = os.path.join(tmp, "tree")
os.makedirs(os.path.join(tree, "b", ".hidden"))
for path, doc_id in [("b/2.jsonl", "second"), ("a.jsonl", "first"), ("b/.hidden/x.jsonl", "no"),
                     (".skipped.jsonl", "no")]:
    with open(os.path.join(tree, path), "w") as f:
        f.write(json.dumps({"id": doc_id, "text": "Four ships sank."}) + "\n")
r = run(["--jsonl", "--threads", "2", tree])
ids = [json.loads(line)["id"] for line in r.stdout.splitlines()]
check(r.returncode == 0 and ids == ["first", "second"],
      f"a directory as --jsonl input: every file below it not hidden, in path order ({ids})")
d = os.open(tmp, os.O_RDONLY)
r = subprocess.run([GLEANER, "--jsonl"], stdin=d, capture_output=True, timeout=60)
os.close(d)
check(r.returncode == 1 and b"read error" in r.stderr, "stdin that cannot be read: exit 1")
p = subprocess.Popen([GLEANER, "--jsonl", "--max-line-bytes", "1000", "/dev/zero"],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
ready, _, _ = select.select([p.stdout], [], [], 30)
first = p.stdout.readline() if ready else b""
p.kill()
p.wait()
check(b"longer than 1000" in first, "a line with no end is answered as soon as it is too long")
r = run(["--reference-date", "2021-02-29", path])
check(r.returncode == 2 and not r.stdout, "an impossible --reference-date is a usage error")

# --- A runaway document is that line's error; the lines around it are answered. --------------
runaway = os.path.join(tmp, "runaway.jsonl")
with open(runaway, "w") as f:
    f.write(json.dumps({"id": 1, "text": "Two ships sank."}) + "\n")
    f.write(json.dumps({"id": 2, "text": "5 people, " * 20000}) + "\n")
    f.write(json.dumps({"id": 3, "text": "Three ships sank."}) + "\n")
r = run(["--jsonl", "--max-work", "50", runaway])
answers = [json.loads(l) for l in r.stdout.decode().splitlines()]
check(r.returncode == 1 and len(answers) == 3 and "max_work" in answers[1].get("error", "") and
      answers[0]["records"] and answers[2]["records"],
      "a document over its work budget is an error object; the batch goes on")

# --- Coprocess: each answer arrives before the next line is sent. ------------------------------
for threads in ("1", "2"):
    p = subprocess.Popen([GLEANER, "--jsonl", "--threads", threads], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    ok = True
    for i in range(4):
        p.stdin.write((json.dumps({"id": i, "text": f"{i + 2} ships docked."}) + "\n").encode())
        p.stdin.flush()
        ready, _, _ = select.select([p.stdout], [], [], 30)
        ok = ok and bool(ready) and json.loads(p.stdout.readline())["id"] == i
    p.stdin.close()
    ok = ok and p.wait(timeout=30) == 0
    check(ok, f"threads {threads}: works as a coprocess, one line in, one line out")

# --- Memory stays bounded. --------------------------------------------------------------------
if SANITIZED:
    print(f"{len(failures)} failure(s); memory bounds not checked under a sanitizer")
    sys.exit(1 if failures else 0)
dense = os.path.join(tmp, "dense.txt")
with open(dense, "w") as f:
    f.write("5 people, " * 400000)  # 4 MB of counts
rss = max_rss_kb(["--format", "tsv", dense])
check(rss < 600 * 1024, f"4 MB of dense counts: peak memory {rss // 1024} MB (< 600 MB)")
small_batch = os.path.join(tmp, "small.jsonl")
with open(small_batch, "w") as f:
    for i in range(300):
        f.write(json.dumps({"id": i, "text": "Seven people were hurt on Monday. " * 20}) + "\n")
a = max_rss_kb(["--jsonl", "--threads", "2", small_batch])
b = max_rss_kb(["--jsonl", "--threads", "2", big])
check(b < a * 1.3 + 20 * 1024,
      f"memory does not grow with the batch: {a // 1024} MB for 300 lines, {b // 1024} MB for 3000")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
