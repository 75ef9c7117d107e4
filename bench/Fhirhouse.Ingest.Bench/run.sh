#!/usr/bin/env bash
# The figures of docs/benchmarks-ingest.md: generate PATIENTS (1200 ~ 110k resources, 11600 ~ 1.09M), then each stage
# in its own process (so that each peak working set is its own), on the same files.
set -euo pipefail
patients=${1:-1200}
work=${2:-/tmp/fhirhouse-ingest-bench}
here=$(cd "$(dirname "$0")" && pwd)
dotnet build -c Release "$here" >/dev/null
bench="$here/bin/Release/net10.0/Fhirhouse.Ingest.Bench"
rm -rf "$work" && mkdir -p "$work"
"$bench" generate "$patients" "$work/in"
"$bench" scan "$work/in"
"$bench" ingest "$work/in" "$work/lake"
"$bench" ingest-plain "$work/in" "$work/plain"
"$bench" duckdb "$work/in" "$work/duckdb"
uptime
