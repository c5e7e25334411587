#!/usr/bin/env python3
"""What users write today: json.load a Chrome trace and sum durations per span name."""
import collections, json, sys

with open(sys.argv[1]) as f:
    doc = json.load(f)
events = doc["traceEvents"] if isinstance(doc, dict) else doc
total = collections.Counter()
count = collections.Counter()
for e in events:
    if e.get("ph") == "X":
        total[e.get("name")] += e.get("dur", 0)
        count[e.get("name")] += 1
for name, dur in total.most_common(20):
    print(f"{dur:>14.1f} {count[name]:>8} {name}")
