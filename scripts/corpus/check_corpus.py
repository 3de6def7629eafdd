"""Re-checks the committed diagnosis corpus from its files alone (no TensorFlow, no Kestrel):

    python3 scripts/corpus/check_corpus.py

For every manifest entry: the file exists, parses (Kestrel history JSON, or Keras CSVLogger CSV), and its
curve passes the label-independent check of its label (corpus_common.check); then prints the count per
label and source. Exits 1 on any failure.
"""
import collections
import csv
import json
import os
import sys

from corpus_common import LABELS, OUT, check, load_manifest


def read_history(path):
    if path.endswith(".json"):
        with open(path) as handle:
            payload = json.load(handle)
        return {k: [float("nan") if v is None else float(v) for v in vs] for k, vs in payload["history"].items()}
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {key: [float(row[key]) for row in rows] for key in rows[0] if key != "epoch"}


def main():
    failures = 0
    counts = collections.Counter()
    entries = load_manifest()
    listed = {entry["file"] for entry in entries}
    for name in sorted(os.listdir(OUT)):
        if name.endswith((".csv", ".json")) and name != "manifest.json" and name not in listed:
            print(f"UNLISTED {name}")
            failures += 1
    for entry in entries:
        path = os.path.join(OUT, entry["file"])
        if entry["label"] not in LABELS or entry["source"] not in ("kestrel", "keras"):
            print(f"BAD ENTRY {entry['file']}: label {entry['label']} source {entry['source']}")
            failures += 1
            continue
        if not os.path.exists(path):
            print(f"MISSING {entry['file']}")
            failures += 1
            continue
        history = read_history(path)
        ok, evidence = check(entry["label"], history, entry["facts"]["classes"], entry["facts"])
        print(f"{'ok  ' if ok else 'FAIL'} {entry['label']:14} {entry['file']}: {evidence}")
        failures += 0 if ok else 1
        counts[(entry["label"], entry["source"])] += 1
    print()
    print(f"{'label':15} {'kestrel':>8} {'keras':>6} {'total':>6}")
    for label in LABELS:
        k, r = counts[(label, "kestrel")], counts[(label, "keras")]
        print(f"{label:15} {k:8} {r:6} {k + r:6}")
    total_k = sum(v for (l, s), v in counts.items() if s == "kestrel")
    total_r = sum(v for (l, s), v in counts.items() if s == "keras")
    print(f"{'all':15} {total_k:8} {total_r:6} {total_k + total_r:6}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
