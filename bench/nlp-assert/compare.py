"""Scores GenConText's output and ours on the same targets, and lists where they disagree."""
import sys

def norm(value):
    v = value.strip().lower()
    return {"negated": "Negated", "affirmed": "Affirmed", "possible": "Possible", "recent": "Recent", "historical": "Historical",
            "hypothetical": "Hypothetical", "not particular": "Hypothetical", "patient": "Patient", "other": "Other"}.get(v, value.strip())

theirs = []
for line in open(sys.argv[1], encoding="utf-8"):
    c = line.rstrip("\n").split("\t")
    if len(c) >= 10:
        theirs.append((c[3], c[2], (c[4], c[5], c[6]), tuple(norm(x) for x in c[7:10])))
ours = []
for line in open(sys.argv[2], encoding="utf-8"):
    c = line.rstrip("\n").split("\t")
    if len(c) >= 8:
        ours.append((c[0], c[1], (c[2], c[3], c[4]), tuple(c[5:8])))

def score(rows, name):
    classes = [("Negated", 0, "Negated"), ("Possible", 0, "Possible"), ("Historical", 1, "Historical"), ("Hypothetical", 1, "Hypothetical"), ("Other", 2, "Other")]
    parts = []
    for label, k, value in classes:
        tp = sum(1 for r in rows if r[2][k] == value and r[3][k] == value)
        fp = sum(1 for r in rows if r[2][k] != value and r[3][k] == value)
        fn = sum(1 for r in rows if r[2][k] == value and r[3][k] != value)
        p = tp / (tp + fp) if tp + fp else float("nan")
        rc = tp / (tp + fn) if tp + fn else float("nan")
        f = 2 * p * rc / (p + rc) if tp else 0.0
        parts.append(f"{label} F1 {f:.3f}")
    print(f"{name}: {len(rows)} targets; " + ", ".join(parts))

score(theirs, "GenConText")
score(ours, "fhirhouse")
by_key = {(r[0], r[1]): r for r in theirs}
disagree = [(o, by_key[(o[0], o[1])]) for o in ours if (o[0], o[1]) in by_key and by_key[(o[0], o[1])][3] != o[3]]
print(f"decisions differ on {len(disagree)} of {len(ours)} targets (negation, temporality, experiencer):")
for o, t in disagree:
    print(f"  {o[1]!r} in {o[0]!r}: expected {'/'.join(o[2])}; fhirhouse {'/'.join(o[3])}; GenConText {'/'.join(t[3])}")
