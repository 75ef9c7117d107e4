#!/usr/bin/env bash
# View evaluation throughput of the default views: Fhirhouse (C#) and fhirpath.js (Node), same data, same run.
# Usage: bench/Fhirhouse.Fhir.Bench/run.sh [RESOURCES] [ROUNDS]   (from the repository root; defaults 1000000 and 3)
# The two engines run in alternating rounds so that both see the same load on a shared machine; take the best of each.
set -euo pipefail
cd "$(dirname "$0")/../.."
resources=${1:-1000000}
rounds=${2:-3}
data=../shared/testdata/fhir/bulk-10-patients
dotnet build -c Release --nologo -v q bench/Fhirhouse.Fhir.Bench >/dev/null
(cd bench/Fhirhouse.Fhir.Bench/node && npm install --no-audit --no-fund --silent >/dev/null)
for round in $(seq "$rounds"); do
  echo "== round $round: $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
  dotnet bench/Fhirhouse.Fhir.Bench/bin/Release/net10.0/Fhirhouse.Fhir.Bench.dll "$data" "$resources" "$(nproc)"
  node bench/Fhirhouse.Fhir.Bench/node/views.js "$data" src/Fhirhouse.Fhir/Views/Defaults "$resources"
done
echo "== agreement: non-null values per view column, C# vs fhirpath.js (no output below = identical)"
diff <(dotnet bench/Fhirhouse.Fhir.Bench/bin/Release/net10.0/Fhirhouse.Fhir.Bench.dll "$data" 1 1 --counts | grep -v '^observation\.') \
     <(node bench/Fhirhouse.Fhir.Bench/node/views.js "$data" src/Fhirhouse.Fhir/Views/Defaults 1 --counts)
