#!/usr/bin/env bash
# Our assertion engine against GenConText (../shared/peers/genconText, the reference ConText implementation in Java) on
# the team's English development set: scores of both, decisions compared (disagreements listed), and the speed of each
# on the same targets (the set repeated REPEAT times, each program in its own process).
set -euo pipefail
repeat=${1:-20}
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build -c Release "$here/src/Fhirhouse.Cli" >/dev/null
cli="$here/src/Fhirhouse.Cli/bin/Release/net10.0/fhirhouse"
cp -r "$here/../shared/peers/genconText/." "$work/gc" && (cd "$work/gc" && sed -i '/^package genConText;/d' *.java && javac -nowarn callGenConText.java genConText.java Sorter.java 2>/dev/null)
set="$here/tests/Fhirhouse.Nlp.Tests/DevSets/en.tsv"
awk -F'\t' '{ printf "%d\tdev\t%s\t%s\t%s\t%s\t%s\n", NR, $2, $1, $3, $4, $5 }' "$set" > "$work/gc-in.tsv"
(cd "$work/gc" && java callGenConText "$work/gc-in.tsv" "$work/gc-out.tsv" trigger-neg.txt history_triggers.txt hypothetical_triggers.txt experiencer_triggers.txt >/dev/null)
"$cli" nlp assert "$set" --language en > "$work/ours.tsv" 2> "$work/ours.err" || true
python3 "$here/bench/nlp-assert/compare.py" "$work/gc-out.tsv" "$work/ours.tsv"
for i in $(seq "$repeat"); do cat "$set"; done > "$work/big.tsv"
for i in $(seq "$repeat"); do cat "$work/gc-in.tsv"; done > "$work/gc-big.tsv"
lines=$(wc -l < "$work/big.tsv")
start=$(date +%s.%N); "$cli" nlp assert "$work/big.tsv" --language en > /dev/null 2>&1 || true; end=$(date +%s.%N)
ours=$(echo "$end - $start" | bc)
start=$(date +%s.%N); (cd "$work/gc" && java callGenConText "$work/gc-big.tsv" "$work/gc-big-out.tsv" trigger-neg.txt history_triggers.txt hypothetical_triggers.txt experiencer_triggers.txt >/dev/null); end=$(date +%s.%N)
theirs=$(echo "$end - $start" | bc)
echo "speed on $lines targets (process start included): fhirhouse nlp assert $ours s, GenConText $theirs s; ratio GenConText/ours $(echo "scale=1; $theirs / $ours" | bc)x"
uptime
