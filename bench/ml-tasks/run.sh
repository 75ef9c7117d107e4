#!/usr/bin/env bash
# The two shipped ML tasks on a generated hospital of PATIENTS patients (care 2021-2025, every drift scenario):
# ml run (features built from the views by one SQL statement, training, gates, registry) for t2d_onset_1y and
# readmission_30d; scikit-learn's HistGradientBoostingClassifier trained on the same training rows with the same
# settings (the peer: training alone, no lake); ml score into ml.predictions alone and with the FHIR landed in bronze;
# ml monitor over 2023-2025. Every figure includes the process start of the CLI.
set -euo pipefail
patients=${1:-5000}
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build -c Release "$here/src/Fhirhouse.Cli" >/dev/null
cli="$here/src/Fhirhouse.Cli/bin/Release/net10.0/fhirhouse"
lake=(--lake "$work/lake" --keyring "$work/keys/keyring.json")
as=(--role data-scientist --purpose operations --user bench)
"$cli" generate --patients "$patients" --seed 42 --from 2021 --out "$work/h" > /dev/null 2>&1
rm -f "$work"/h/*ground-truth* "$work/h/manifest.json"
"$cli" ingest files "$work/h" "${lake[@]}" > /dev/null 2>&1
"$cli" views build patient encounter condition observation "${lake[@]}" > /dev/null 2>&1
seconds() { local s; s=$(date +%s.%N); "$@" > "$work/out.txt" 2> /dev/null; echo "$(date +%s.%N) - $s" | bc; }
for task in t2d_onset_1y readmission_30d; do
  t=$(seconds "$cli" ml run "$task" "${lake[@]}" "${as[@]}" --json)
  rows=$(python3 -c "import json; print(json.load(open('$work/out.txt'))['rows'])")
  auroc=$(python3 -c "import json; print(round(json.load(open('$work/out.txt'))['holdout']['overall']['auroc'], 3))")
  split=$(python3 -c "import json; r=json.load(open('$work/out.txt')); print(f\"features {r['featureSeconds']:.2f} s, training and holdout evaluation {r['trainingSeconds']:.2f} s\")")
  ours=$(python3 -c "import json; print(round(json.load(open('$work/out.txt'))['trainingSeconds'], 3))")
  spec="$here/src/Fhirhouse.Ml/Pipelines/Shipped/$task.json"
  window=$(python3 -c "import json; t=json.load(open('$spec'))['training']; print(t['from'], t['to'])")
  set -- $window
  "$cli" sql "SELECT * EXCLUDE (patient_id, index_time, index_id, label_time, label_due) FROM ml.features_$task WHERE label IS NOT NULL AND index_time >= TIMESTAMPTZ '$1 00:00:00+00' AND index_time < TIMESTAMPTZ '$2 00:00:00+00'" \
    --format csv "${lake[@]}" --role admin --purpose operations --user bench > "$work/$task.csv" 2> /dev/null
  peer=$(/usr/bin/python3 - "$work/$task.csv" "$spec" <<'PY'
import csv, json, sys, time
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
t = json.load(open(sys.argv[2]))["training"]
y = np.array([int(float(r.pop("label"))) for r in rows])
columns = []
for name in rows[0].keys():
    values = [r[name] for r in rows]
    try:
        columns.append(np.array([float(v) if v != "" else np.nan for v in values]))
    except ValueError:
        for level in sorted(set(values)):
            columns.append(np.array([1.0 if v == level else 0.0 for v in values]))
x = np.column_stack(columns)
start = time.perf_counter()
HistGradientBoostingClassifier(max_iter=t["trees"], max_leaf_nodes=t["leaves"], learning_rate=t["learning_rate"], min_samples_leaf=t["min_leaf_rows"], early_stopping=False, random_state=t["seed"]).fit(x, y)
print(f"{time.perf_counter() - start:.3f} {len(y)}")
PY
)
  theirs=$(echo "$peer" | cut -d' ' -f1)
  echo "$task: ml run $t s ($split; $rows rows in the training window, holdout AUROC $auroc); scikit-learn HistGradientBoosting training alone on the same $(echo "$peer" | cut -d' ' -f2) labelled rows: $theirs s; ratio ours / scikit-learn $(echo "scale=1; $ours / $theirs" | bc)x"
done
t=$(seconds "$cli" ml score t2d_onset_1y --from 2023-01-01 --no-fhir --no-rebuild "${lake[@]}" "${as[@]}" --json)
rows=$(python3 -c "import json; print(json.load(open('$work/out.txt'))['rows'])")
echo "ml score t2d_onset_1y into ml.predictions only: $rows rows in $t s ($(echo "scale=0; $rows / $t" | bc) rows/s)"
t=$(seconds "$cli" ml score t2d_onset_1y --from 2023-01-01 --no-rebuild "${lake[@]}" "${as[@]}" --json)
landed=$(python3 -c "import json; print(json.load(open('$work/out.txt'))['resourcesLanded'])")
echo "ml score t2d_onset_1y with FHIR landed in bronze: $rows rows, $landed resources in $t s ($(echo "scale=0; $rows / $t" | bc) rows/s)"
t=$(seconds "$cli" ml monitor t2d_onset_1y --no-rebuild "${lake[@]}" "${as[@]}" --json)
echo "ml monitor t2d_onset_1y (36 monthly windows, domain classifier included): $t s"
uptime
