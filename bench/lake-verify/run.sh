#!/usr/bin/env bash
# `fhirhouse lake verify` on a generated lake (PATIENTS: 11600 ~ 1.09M resources), with the views built so that every
# kind of table is there; the peer limit is reading the same stored bytes with cat in the same run.
set -euo pipefail
patients=${1:-11600}
work=${2:-/tmp/fhirhouse-verify-bench}
here=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build -c Release "$here/src/Fhirhouse.Cli" >/dev/null
cli="$here/src/Fhirhouse.Cli/bin/Release/net10.0/fhirhouse"
rm -rf "$work" && mkdir -p "$work"
lake=(--lake "$work/lake" --keyring "$work/keys/keyring.json")
"$cli" generate --patients "$patients" --seed 1 --out "$work/in" >/dev/null
rm -f "$work/in/manifest.json" "$work/in/notes-ground-truth.ndjson"
"$cli" ingest files "$work/in" "${lake[@]}" >/dev/null
"$cli" views build "${lake[@]}" >/dev/null
echo "lake: $(find "$work/lake" -type f | wc -l) objects, $(du -sb "$work/lake" | cut -f1) bytes stored"
find "$work/lake" -type f -exec cat {} + >/dev/null
start=$(date +%s.%N); find "$work/lake" -type f -exec cat {} + >/dev/null; end=$(date +%s.%N)
echo "peer: cat of every stored object (warm cache): $(echo "$end - $start" | bc) s"
start=$(date +%s.%N); "$cli" lake verify "${lake[@]}" | tail -1; end=$(date +%s.%N)
echo "lake verify: $(echo "$end - $start" | bc) s"
uptime
