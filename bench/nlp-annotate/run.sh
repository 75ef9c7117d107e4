#!/usr/bin/env bash
# nlp annotate over the encrypted lake against the engine alone on the same texts: a generated hospital of PATIENTS
# patients is ingested, then annotated from scratch (read from bronze, annotate, land the FHIR through the raw zone,
# commit gold.nlp_annotations), run again (nothing to do), and scored by nlp evaluate (the same texts read from the
# NDJSON files and annotated, no lake). The ratio says what the lake costs on top of the engine.
set -euo pipefail
patients=${1:-500}
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build -c Release "$here/src/Fhirhouse.Cli" >/dev/null
cli="$here/src/Fhirhouse.Cli/bin/Release/net10.0/fhirhouse"
lake=(--lake "$work/lake" --keyring "$work/keys/keyring.json")
as=(--role admin --purpose operations --user bench)
"$cli" generate --patients "$patients" --seed 42 --out "$work/h" > /dev/null 2>&1
mkdir "$work/in" && cp "$work"/h/*.000.ndjson "$work/in/"
"$cli" ingest files "$work/in" "${lake[@]}" > /dev/null 2>&1
texts=$( (cat "$work"/in/DocumentReference*.ndjson "$work"/in/Communication*.ndjson "$work"/in/DiagnosticReport*.ndjson "$work"/in/MedicationRequest*.ndjson 2>/dev/null || true) | wc -l)
start=$(date +%s.%N); "$cli" nlp annotate "${lake[@]}" "${as[@]}" --json > "$work/annotate.json" 2> /dev/null; end=$(date +%s.%N)
full=$(echo "$end - $start" | bc)
start=$(date +%s.%N); "$cli" nlp annotate "${lake[@]}" "${as[@]}" > /dev/null 2>&1; end=$(date +%s.%N)
again=$(echo "$end - $start" | bc)
start=$(date +%s.%N); "$cli" nlp evaluate "$work/h" > "$work/evaluate.txt" 2> /dev/null; end=$(date +%s.%N)
alone=$(echo "$end - $start" | bc)
cat "$work/annotate.json"; echo
cat "$work/evaluate.txt"
echo "resources with text in the lake: $texts"
echo "nlp annotate from scratch: $full s ($(echo "scale=0; $texts / $full" | bc) resources/s, process start included); run again with nothing to do: $again s"
echo "engine alone on the ground truth's texts (nlp evaluate, no lake): $alone s; ratio lake job / engine alone $(echo "scale=1; $full / $alone" | bc)x"
uptime
