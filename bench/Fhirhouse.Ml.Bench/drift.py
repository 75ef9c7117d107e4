"""The bench's peer: the same per-window drift tests as Evidently computes them for a reference above 1,000 rows
(scipy's wasserstein_distance over the reference's numpy std, drift at >= 0.1), on the data the C# bench wrote.
Prints one JSON object: the seconds the tests took (loading left out) and every distance, window by window."""
import json
import sys
import time

import numpy as np
from scipy import stats

path = sys.argv[1]
header = np.fromfile(path, dtype="<i8", count=3)
n_ref, features, windows = (int(v) for v in header)
offsets = np.fromfile(path, dtype="<i8", count=windows + 1, offset=3 * 8)
start = (3 + windows + 1) * 8
n_cur = int(offsets[-1])
data = np.fromfile(path, dtype="<f8", offset=start)
reference = data[: n_ref * features].reshape(features, n_ref)
current = data[n_ref * features :].reshape(features, n_cur)

clock = time.perf_counter()
distances = []
drifted = 0
for w in range(windows):
    row = []
    for f in range(features):
        ref = reference[f]
        cur = current[f, offsets[w] : offsets[w + 1]]
        d = stats.wasserstein_distance(ref, cur) / np.std(ref)
        drifted += d >= 0.1
        row.append(float(d))
    distances.append(row)
seconds = time.perf_counter() - clock
print(json.dumps({"seconds": seconds, "drifted": int(drifted), "distances": distances}))
