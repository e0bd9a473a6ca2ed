#!/usr/bin/env python3
"""The command line beyond the basics (ctest "cli.formats"): --opt=value, help per command,
usage errors before any work, --output, several inputs and directories, --threads with text
files, every --format, progress, and extra members of a JSON line coming back.
Usage: cli_formats.py GLEANER
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.dom.minidom

GLEANER = os.path.abspath(sys.argv[1])
failures = []


def check(cond, what):
    print(("ok:   " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


def run(args, stdin=None):
    return subprocess.run([GLEANER] + args, input=stdin, capture_output=True, timeout=300)


tmp = tempfile.mkdtemp(prefix="gleaner-cli-")
docs = os.path.join(tmp, "docs")
os.makedirs(os.path.join(docs, "more"))
texts = {
    "one.txt": "Rescuers pulled 14 miners from a flooded shaft near Johannesburg on Tuesday.",
    "more/two.txt": "\"We will rebuild the bridge by spring,\" said Anna Lindqvist, the mayor of "
                    "Uppsala, on 3 March 2021.",
    "more/three.txt": "About 300 people marched through Lyon & Grenoble <again> last week.",
}
for name, text in texts.items():
    with open(os.path.join(docs, name), "w") as f:
        f.write(text)
one = os.path.join(docs, "one.txt")

# --- Options and usage errors. -----------------------------------------------------------
r = run(["--format=tsv", "--reference-date=2022-06-01", one])
check(r.returncode == 0 and r.stdout.startswith(b"doc\tbegin") and b"\tcount\t14\t" in r.stdout,
      "--opt=value works")
for command in ["extract", "explain", "test-pack", "list-packs"]:
    r = run(["help", command])
    check(r.returncode == 0 and f"Usage: gleaner".encode() in r.stdout
          and command.encode() in r.stdout, f"gleaner help {command}")
r = run(["explain", "--help"])
check(r.returncode == 0 and b"Usage: gleaner explain" in r.stdout, "gleaner explain --help")
r = run(["help", "frobnicate"])
check(r.returncode == 2, "help for a command that does not exist: exit 2")
for args, what in [
    (["--reference-date", "2021-02-30", one], "an impossible --reference-date"),
    (["--format", "xml", one], "an unknown --format"),
    (["--threads", "0", one], "--threads 0"),
    (["--threads", "-3", one], "--threads -3"),
    (["--format", "timeml", one, one], "timeml with two documents"),
    (["--format", "timeml", "--jsonl", one], "timeml with JSON Lines"),
    (["explain", "--format", "timeml", one], "explain in timeml"),
    (["explain"], "explain without an input"),
    (["--progress", "--no-progress", one], "--progress and --no-progress"),
]:
    r = run(args)
    check(r.returncode == 2 and r.stdout == b"" and b"Try 'gleaner help" in r.stderr,
          f"usage error, exit 2 before any output: {what}")

# --- Several inputs, directories, threads, --output. ---------------------------------------
r1 = run(["--threads", "1", docs])
r2 = run(["--threads", "2", docs])
lines = r1.stdout.decode().splitlines()
ids = [json.loads(line)["id"] for line in lines]
check(r1.returncode == 0 and ids == [os.path.join(docs, n) for n in sorted(texts)],
      f"a directory: JSON Lines, one object per file, in path order ({len(ids)})")
check(r1.stdout == r2.stdout, "--threads 2 with text files writes the same bytes as 1")
r = run([one, one])
check(len(r.stdout.splitlines()) == 2 and all(json.loads(l) for l in r.stdout.splitlines()),
      "two files with the default format: two JSON lines, not objects run together")
out = os.path.join(tmp, "out.json")
r = run(["-o", out, one])
with open(out) as f:
    written = json.load(f)
check(r.returncode == 0 and r.stdout == b"" and len(written["records"]) >= 3,
      "--output FILE: one JSON object in the file, nothing on stdout")
r = run(["-", "--format", "jsonl"], stdin=texts["one.txt"].encode())
check(json.loads(r.stdout)["id"] == "stdin", "'-' reads a text from stdin")

# --- Progress. ------------------------------------------------------------------------------
r = run(["--progress", docs])
check(b"3 documents" in r.stderr and b"MB/s" in r.stderr and b"done" in r.stderr,
      "--progress reports documents, MB/s and the end on stderr")
r = run([docs])
check(r.stderr == b"", "no progress when stderr is not a terminal")
if shutil.which("script"):  # a terminal for stderr: progress is on by default
    tty = subprocess.run(["script", "-qec", f"{GLEANER} {docs} > /dev/null", "/dev/null"],
                         capture_output=True, timeout=120)
    check(b"3 documents" in tty.stdout and b"done" in tty.stdout,
          "progress is on by default when stderr is a terminal")
batch = "".join(json.dumps({"id": i, "text": "Two ferries collided."}) + "\n" for i in range(50))
r = run(["--jsonl", "--progress"], stdin=batch.encode())
check(b"50 documents" in r.stderr, "--progress counts JSON lines")

# --- Extra members of a JSON line come back unchanged. ------------------------------------
line = ('{"source": "wire", "id": "m1", "tags": [1, {"k": "v"}], "text": "Nine divers '
        'surfaced.", "score": 1.50, "records": "not echoed"}\n')
r = run(["--jsonl"], stdin=line.encode())
got = r.stdout.decode()
check(got.startswith('{"id":"m1","source":"wire","tags":[1, {"k": "v"}],"score":1.50,'),
      f"extra members echoed byte for byte after the id: {got[:90]}")
check(json.loads(got)["records"] != "not echoed", "a member named like an output one is dropped")
r = run(["--jsonl"], stdin=b'{"id": "m2", "batch": 7}\n')
check(json.loads(r.stdout).get("batch") == 7 and "error" in json.loads(r.stdout),
      "extra members come back on an error object too")

# --- TSV, HTML and TimeML. ---------------------------------------------------------------
r = run(["--format", "tsv", docs])
rows = r.stdout.decode().splitlines()
check(rows[0].startswith("doc\t") and sum(row.startswith("doc\t") for row in rows) == 1,
      "tsv over several files: one header")
r = run(["--format", "html", "--reference-date", "2022-06-01", docs])
page = r.stdout.decode()
marks = re.findall(r'<mark class="[^"]*" data-type="([a-z]+)" data-begin="(\d+)" data-end="(\d+)"',
                   page)
records = sum(len(json.loads(l)["records"]) for l in
              run(["--format", "jsonl", "--reference-date", "2022-06-01", docs]).stdout.splitlines())
check(page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
      and page.count("<section") == 3, "html: one page, a section per document")
check(len(marks) == records and records > 0, f"html: one mark per record ({len(marks)}/{records})")
check("</mark> &amp; <mark" in page and "&lt;again&gt;" in page, "html: the text is escaped")
check("http" not in page.replace('content="width', ""), "html: no network reference")
r = run(["--format", "timeml", "--reference-date", "2022-06-01", os.path.join(docs, "more/two.txt")])
doc = r.stdout.decode()
try:
    text_nodes = xml.dom.minidom.parseString(doc).getElementsByTagName("TEXT")[0]
    plain = "".join(n.toxml() if n.nodeType == n.TEXT_NODE else n.firstChild.data
                    for n in text_nodes.childNodes)
    well_formed = True
except Exception as e:  # noqa: BLE001
    well_formed, plain = False, str(e)
check(well_formed, "timeml is well-formed XML")
check('<TIMEX3 tid="t1" type="DATE" value="2021-03-03">3 March 2021</TIMEX3>' in doc,
      "timeml: TIMEX3 with tid, type and value around the date")
check('functionInDocument="CREATION_TIME">2022-06-01<' in doc, "timeml: the DCT")
check(plain.replace("&quot;", '"') == texts["more/two.txt"], "timeml: the text is unchanged")
r = run(["explain", "--format", "html", "-"],
        stdin=b"In 2017, 35 boats were lost and the June 9 race was put off by three days.")
check(r.returncode == 0 and b"candidates that are not records" in r.stdout
      and b"<td>vetoed</td>" in r.stdout and b"count.veto_year" in r.stdout,
      "explain --format html lists the candidates that are not records, and why")

# --- Output files, explain inputs, and packs named from the working directory. -------------
r = run(["-o", os.path.join(tmp, "no-such-dir", "out.json"), one])
check(r.returncode == 1 and b"cannot write" in r.stderr, "--output that cannot be opened: exit 1")
keep = os.path.join(tmp, "keep.txt")
with open(keep, "w") as f:
    f.write("Nine trains ran late.")
r = run(["-o", keep, keep])
check(r.returncode == 2 and open(keep).read() == "Nine trains ran late.",
      "--output naming an input is a usage error, and the input is untouched")
r = run(["--rules", os.path.join(tmp, "missing.json"), "-o", keep, one])
check(r.returncode == 2 and open(keep).read() == "Nine trains ran late.",
      "--output is not emptied when the packs fail to load")
r = run(["extract", "--help"])
check(r.returncode == 0 and r.stdout.startswith(b"Usage: gleaner [extract]"),
      "gleaner extract --help is extract's help")
r = run(["explain", "--format", "json", one, os.path.join(docs, "more/two.txt")])
rows = [json.loads(l) for l in r.stdout.splitlines()]
check(len(rows) == 2 and rows[1]["id"].endswith("two.txt") and rows[1]["decisions"],
      "explain --format json over two inputs: a line of {id, decisions} each")
r = run(["explain", "/dev/zero"])
check(r.returncode == 1 and b"larger than" in r.stderr, "explain refuses /dev/zero, unread")
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "rules",
                       "counts.json")) as f:
    counts_pack = f.read()
# An edited copy of a default pack, named from its own directory, is the one tested.
pack_dir = os.path.join(tmp, "edited")
os.makedirs(pack_dir)
marker = '"tests": ['
with open(os.path.join(pack_dir, "counts.json"), "w") as f:
    f.write(counts_pack.replace(marker, marker + '{"text": "Two cats.", "expect": '
                                '[{"type": "count", "text": "Two cats", "value": 3}]},', 1))
r = subprocess.run([GLEANER, "test-pack", "counts.json"], cwd=pack_dir, capture_output=True)
check(r.returncode == 1 and b"1 failed" in r.stdout,
      "test-pack counts.json tests the file in the working directory, not the built-in copy")

# --- --output-dir: a file each, paths kept below a directory input. -----------------------
out_dir = os.path.join(tmp, "tml")
r1 = run(["--format", "timeml", "--output-dir", out_dir, "--threads", "2",
          "--reference-date", "2022-06-01", docs])
written = sorted(os.path.relpath(os.path.join(d, f), out_dir)
                 for d, _, fs in os.walk(out_dir) for f in fs)
check(r1.returncode == 0 and written == ["more/three.txt.tml", "more/two.txt.tml", "one.txt.tml"],
      f"--output-dir: one TimeML file per input, paths kept ({written})")
for name in written:
    try:
        xml.dom.minidom.parse(os.path.join(out_dir, name))
        ok = True
    except Exception:  # noqa: BLE001
        ok = False
    check(ok, f"--output-dir: {name} is well-formed")
r = run(["--format", "html", "--output-dir", os.path.join(tmp, "pages"), one])
page = open(os.path.join(tmp, "pages", "one.txt.html")).read()
check(r.returncode == 0 and page.startswith("<!DOCTYPE html>") and page.count("<section") == 1,
      "--output-dir with html: a whole page per input")
os.makedirs(os.path.join(tmp, "again"), exist_ok=True)
twin = os.path.join(tmp, "again", "one.txt")
with open(twin, "w") as f:
    f.write("Two buses.")
r = run(["--output-dir", os.path.join(tmp, "twins"), one, twin])
check(r.returncode == 2 and b"would both be written" in r.stderr,
      "--output-dir refuses two inputs that would share an output file")
r = run(["--output-dir", tmp, "--jsonl", one])
check(r.returncode == 2, "--output-dir with --jsonl is a usage error")

print(f"{len(failures)} failed" if failures else "all passed")
sys.exit(1 if failures else 0)
