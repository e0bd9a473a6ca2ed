// The peer in bench/versus_chrono.py: chrono-node over the same JSON Lines that gleaner reads,
// dates only, one output line per input line. Run with NODE_PATH pointing at its install.
"use strict";
const chrono = require("chrono-node");
const readline = require("readline");

const out = [];
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on("line", (line) => {
  if (!line.trim()) return;
  const doc = JSON.parse(line);
  const ref = doc.reference_date ? new Date(doc.reference_date + "T12:00:00Z") : new Date();
  const dates = chrono.parse(doc.text, ref).map((r) => ({ begin: r.index, text: r.text }));
  out.push(JSON.stringify({ id: doc.id, dates }));
  if (out.length >= 256) process.stdout.write(out.splice(0).join("\n") + "\n");
});
rl.on("close", () => {
  if (out.length) process.stdout.write(out.join("\n") + "\n");
});
