#!/usr/bin/env python3
"""The HTML view in a real browser (ctest "html.browser"): headless Chromium renders the page of
`gleaner --format html` and the DOM it built must hold one element per record, each with the
record's type and byte offsets, and each article's text must be the whole document, unchanged.
Exits 77 (reported as skipped) when Chromium is not installed.
Usage: html_browser.py GLEANER SAMPLE.txt
"""
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile

GLEANER, SAMPLE = sys.argv[1], sys.argv[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    print("SKIPPED: chromium is not installed (apt-get install chromium)")
    sys.exit(77)

tmp = tempfile.mkdtemp(prefix="gleaner-html-")
documents = {
    "sample.txt": open(SAMPLE, encoding="utf-8", newline="").read(),
    # Records inside a quotation, a count next to a place, markup-like text, and non-ASCII.
    # CRLF line ends must survive the browser's parser.
    "nested.txt": "\"Since 12 June we have moved 4,000 families out of Dnipro,\" said Olena "
                  "Koval, the region's governor, in Kyiv on 14 June 2023.\r\n\r\nCosts rose > 5% "
                  "& <b>more</b> in São Paulo, about 70 km away.\n",
}
for name, text in documents.items():
    with open(os.path.join(tmp, name), "w", encoding="utf-8", newline="") as f:
        f.write(text)
args = ["--reference-date", "2023-06-15", os.path.join(tmp, "nested.txt"),
        os.path.join(tmp, "sample.txt")]
page = os.path.join(tmp, "page.html")
subprocess.run([GLEANER, "--format", "html", "-o", page] + args, check=True)
jsonl = subprocess.run([GLEANER, "--format", "jsonl"] + args, check=True, capture_output=True)
records = {}
for line in jsonl.stdout.decode().splitlines():
    doc = json.loads(line)
    records[os.path.basename(doc["id"])] = doc["records"]

profile = tempfile.mkdtemp(prefix="gleaner-chromium-")
dom = subprocess.run(
    [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
     "--disable-background-networking", "--disable-component-update", "--disable-sync",
     f"--user-data-dir={profile}", "--dump-dom", "file://" + page],
    capture_output=True, timeout=120)
shutil.rmtree(profile, ignore_errors=True)
if dom.returncode != 0 or not dom.stdout:
    print("FAIL: chromium could not render the page:", dom.stderr.decode()[-2000:])
    sys.exit(1)


class Dom(html.parser.HTMLParser):
    """The rendered DOM: per document section, its record elements and its article's text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections, self.in_article = [], 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.sections.append({"id": a.get("data-id"), "marks": [], "text": []})
        if self.in_article:
            self.in_article += 1
        elif tag == "div" and a.get("class") == "article":
            self.in_article = 1
        if "data-type" in a:
            self.sections[-1]["marks"].append(
                (a["data-type"], int(a["data-begin"]), int(a["data-end"]), self.in_article > 0))

    def handle_endtag(self, tag):
        if self.in_article:
            self.in_article -= 1

    def handle_data(self, data):
        if self.in_article:
            self.sections[-1]["text"].append(data)


parser = Dom()
parser.feed(dom.stdout.decode("utf-8"))
failures = 0
for section in parser.sections:
    name = os.path.basename(section["id"])
    want = sorted((r["type"], r["begin"], r["end"], True) for r in records[name])
    got = sorted(section["marks"])
    if got != want or not want:
        failures += 1
        print(f"FAIL: {name}: the DOM has {len(got)} record elements, want {len(want)}:",
              set(got) ^ set(want))
    else:
        print(f"ok:   {name}: one element per record in the rendered DOM ({len(got)}), each "
              "with its type and offsets")
    text = "".join(section["text"])
    if text != documents[name]:
        failures += 1
        print(f"FAIL: {name}: the article's text in the DOM is not the document")
    else:
        print(f"ok:   {name}: the article's text in the DOM is the whole document")
if len(parser.sections) != len(documents):
    failures += 1
    print(f"FAIL: {len(parser.sections)} document sections, want {len(documents)}")

sys.exit(1 if failures else 0)
