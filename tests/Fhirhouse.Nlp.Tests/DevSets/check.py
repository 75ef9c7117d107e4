#!/usr/bin/env python3
"""Validate the assertion development sets (en.tsv, fr.tsv) in this folder.

Usage: python3 check.py          (works from any working directory)

Checks, for each file:
  * UTF-8, LF line endings only, final newline, no blank lines, no header;
  * exactly 5 tab-separated columns, no empty field, no leading/trailing spaces;
  * allowed values in the 3 label columns;
  * the target phrase occurs in the sentence (case-insensitive);
  * no duplicate (sentence, target) pair;
  * minimum counts (lines, Negated, hypothesis-or-history, Other).
Prints a count table (Markdown) and exits 1 if any problem was found.
Python 3 standard library only.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = ["en.tsv", "fr.tsv"]

NEGATION = {"Affirmed", "Negated", "Possible"}
TEMPORALITY = {"Recent", "Historical", "Hypothetical"}
EXPERIENCER = {"Patient", "Other"}

MIN_LINES = 320
MIN_NEGATED = 60
MIN_HYPO_OR_HISTORY = 40  # Possible, or Historical/Hypothetical temporality
MIN_OTHER = 25


def check_file(name, problems):
    path = os.path.join(HERE, name)
    counts = {k: 0 for k in ("lines", "Negated", "Possible", "Historical",
                             "Hypothetical", "Other", "ARP", "hypo_hist")}

    def bad(lineno, msg):
        where = f"{name}:{lineno}" if lineno else name
        problems.append(f"{where}: {msg}")

    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        bad(0, f"cannot read file ({exc})")
        return counts
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad(0, f"not valid UTF-8 ({exc})")
        return counts
    if text.startswith("\ufeff"):
        bad(1, "UTF-8 BOM not allowed")
        text = text[1:]
    if "\r" in text:
        bad(0, "CR character found (LF line endings only)")
    if not text:
        bad(0, "file is empty")
        return counts
    if not text.endswith("\n"):
        bad(0, "missing final newline")

    seen = {}
    for lineno, line in enumerate(text.split("\n")[:-1] if text.endswith("\n")
                                  else text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            bad(lineno, "blank line")
            continue
        cols = line.split("\t")
        if len(cols) != 5:
            bad(lineno, f"expected 5 tab-separated columns, found {len(cols)}")
            continue
        sentence, target, neg, temp, exp = cols
        for label, value in (("sentence", sentence), ("target", target)):
            if not value:
                bad(lineno, f"empty {label}")
            elif value != value.strip():
                bad(lineno, f"leading/trailing whitespace in {label}")
        if neg not in NEGATION:
            bad(lineno, f"bad negation value {neg!r} (allowed: {sorted(NEGATION)})")
        if temp not in TEMPORALITY:
            bad(lineno, f"bad temporality value {temp!r} (allowed: {sorted(TEMPORALITY)})")
        if exp not in EXPERIENCER:
            bad(lineno, f"bad experiencer value {exp!r} (allowed: {sorted(EXPERIENCER)})")
        if target and target.casefold() not in sentence.casefold():
            bad(lineno, f"target {target!r} not found in sentence")
        key = (sentence, target.casefold())
        if key in seen:
            bad(lineno, f"duplicate (sentence, target) pair, first at line {seen[key]}")
        else:
            seen[key] = lineno

        counts["lines"] += 1
        if neg == "Negated":
            counts["Negated"] += 1
        if neg == "Possible":
            counts["Possible"] += 1
        if temp == "Historical":
            counts["Historical"] += 1
        if temp == "Hypothetical":
            counts["Hypothetical"] += 1
        if exp == "Other":
            counts["Other"] += 1
        if neg == "Possible" or temp in ("Historical", "Hypothetical"):
            counts["hypo_hist"] += 1
        if (neg, temp, exp) == ("Affirmed", "Recent", "Patient"):
            counts["ARP"] += 1

    for key, minimum, label in (("lines", MIN_LINES, "lines"),
                                ("Negated", MIN_NEGATED, "Negated lines"),
                                ("hypo_hist", MIN_HYPO_OR_HISTORY,
                                 "Possible/Historical/Hypothetical lines"),
                                ("Other", MIN_OTHER, "Other-experiencer lines")):
        if counts[key] < minimum:
            bad(0, f"only {counts[key]} {label}, minimum is {minimum}")
    return counts


def main():
    problems = []
    table = {name: check_file(name, problems) for name in FILES}
    cols = [("lines", "Lines"), ("Negated", "Negated"), ("Possible", "Possible"),
            ("Historical", "Historical"), ("Hypothetical", "Hypothetical"),
            ("Other", "Other"), ("ARP", "Affirmed-Recent-Patient"),
            ("hypo_hist", "Possible or Hist./Hypo.")]
    print("| File | " + " | ".join(label for _, label in cols) + " |")
    print("|---|" + "---:|" * len(cols))
    for name in FILES:
        print(f"| {name} | " + " | ".join(str(table[name][k]) for k, _ in cols) + " |")
    if problems:
        print(f"\n{len(problems)} problem(s):", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    print("\nOK: both files are valid.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
