#!/usr/bin/env bash
# False alarms of the drift monitor on the synthetic hospital without any drift scenario: for SEEDS seeds, a hospital
# of PATIENTS patients (care 2021-2025, --drift none) is generated, ingested and its views built; t2d_onset_1y and
# t2d_visit_1y are trained on 2022 and monitored over the 36 months of 2023-2025 (version 1, champion or not). Prints,
# per pipeline, the share of windows whose dataset drifted, the dataset-drift alerts (two windows running), the
# windows where the domain classifier told the window apart, the multivariate-drift alerts and the windows with any alert.
set -euo pipefail
seeds=${1:-20}
patients=${2:-2000}
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build -c Release "$here/src/Fhirhouse.Cli" >/dev/null
cli="$here/src/Fhirhouse.Cli/bin/Release/net10.0/fhirhouse"
as=(--role data-scientist --purpose operations --user bench)
: > "$work/results.jsonl"
for seed in $(seq 1 "$seeds"); do
  d="$work/s$seed"
  lake=(--lake "$d/lake" --keyring "$d/keys/keyring.json")
  "$cli" generate --patients "$patients" --seed "$seed" --from 2021 --drift none --out "$d/h" > /dev/null 2>&1
  rm -f "$d"/h/*ground-truth* "$d/h/manifest.json"
  "$cli" ingest files "$d/h" "${lake[@]}" > /dev/null 2>&1
  "$cli" views build patient encounter condition observation "${lake[@]}" > /dev/null 2>&1
  for task in t2d_onset_1y t2d_visit_1y; do
    "$cli" ml train "$task" "${lake[@]}" "${as[@]}" > /dev/null 2>&1
    "$cli" ml monitor "$task" --version 1 --no-rebuild --json "${lake[@]}" "${as[@]}" 2> /dev/null \
      | python3 -c "import json,sys; r=json.load(sys.stdin); print(json.dumps({'seed': $seed, 'task': '$task', 'windows': r['windows'], 'alerts': r['alerts']}))" >> "$work/results.jsonl"
  done
  rm -rf "$d"
  echo "seed $seed done" >&2
done
python3 - "$work/results.jsonl" <<'PY'
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
for task in sorted({r["task"] for r in runs}):
    mine = [r for r in runs if r["task"] == task]
    windows = [w for r in mine for w in r["windows"] if w["skipped"] is None]
    dataset = sum(1 for w in windows if w["datasetDrift"])
    multi = sum(1 for w in windows if w["multivariateDrift"])
    alerts = sum(1 for r in mine for a in r["alerts"] if a["rule"] == "dataset-drift")
    alarmed = sum(1 for r in mine for w in r["windows"] if any(a["rule"] == "dataset-drift" and a["window"][:7] == w["start"][:7] for a in r["alerts"]))
    multi_alerts = sum(1 for r in mine for a in r["alerts"] if a["rule"] == "multivariate-drift")
    any_alert = sum(1 for r in mine for w in r["windows"] if any(a["window"][:7] == w["start"][:7] for a in r["alerts"]))
    print(f"{task}: {len(mine)} seeds, {len(windows)} tested windows: dataset drift in {dataset} ({100*dataset/len(windows):.1f} %), "
          f"dataset-drift alerts in {alarmed} windows ({100*alarmed/len(windows):.1f} %), domain classifier flags {multi} ({100*multi/len(windows):.1f} %), "
          f"multivariate-drift alerts (two windows running) {multi_alerts} ({100*multi_alerts/len(windows):.1f} %), windows with any alert {any_alert} ({100*any_alert/len(windows):.1f} %)")
PY
uptime
