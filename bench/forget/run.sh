#!/usr/bin/env bash
# The figures of docs/benchmarks.md, "forget": build a lake of PATIENTS generated patients (ingest, then every default
# view), then erase one patient, each step its own process; prints each step's wall time and peak resident memory
# (GNU time's maximum resident set size). Run at 1000 and 10000 patients to see whether forget's memory grows with the
# lake. Usage: bench/forget/run.sh PATIENTS [WORKDIR]
set -euo pipefail
patients=${1:-1000}
work=${2:-/tmp/fhirhouse-forget-bench}
repo=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build -c Release "$repo/src/Fhirhouse.Cli" >/dev/null
cli="$repo/src/Fhirhouse.Cli/bin/Release/net10.0/fhirhouse"
rm -rf "$work" && mkdir -p "$work"
export FHIRHOUSE_LAKE="$work/lake" FHIRHOUSE_KEYRING="$work/keyring.json" FHIRHOUSE_POLICIES="$repo/policies" FHIRHOUSE_OPERATOR="$work/operator.json"
echo '{ "user": "bench", "role": "admin", "purpose": "operations" }' >"$work/operator.json"
step() {
  local name=$1; shift
  /usr/bin/time -f "$name: %e s wall, %M KiB peak resident" "$@" >"$work/$name.out" 2>"$work/$name.err" || { cat "$work/$name.err"; exit 1; }
  tail -n 1 "$work/$name.err"
}
step generate "$cli" generate --patients "$patients" --seed 1 --out "$work/hospital"
step ingest "$cli" ingest files "$work/hospital"
step views "$cli" views build
# A patient from the middle of the first Patient file.
subject=$(sed -n "$(( $(wc -l <"$work/hospital/Patient.000.ndjson") / 2 ))p" "$work/hospital/Patient.000.ndjson" | sed -E 's/.*"id":"([^"]+)".*/\1/' | head -c 64)
echo "subject: $subject"
step forget "$cli" forget --patient "$subject"
grep -E '^(raw|table|removed|subject)' "$work/forget.out" | head -n 20 || true
du -sh "$work/lake" | sed 's/^/lake size: /'
uptime
