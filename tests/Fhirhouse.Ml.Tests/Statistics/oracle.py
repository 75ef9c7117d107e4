"""The oracle of the statistics tests: each case of the JSON on standard input computed by scipy, scikit-learn and,
for the population stability index (which neither has), numpy over the documented binning."""
import json
import sys

import numpy as np
from scipy import stats
from scipy.spatial import distance
from sklearn import metrics
from sklearn.calibration import calibration_curve
from sklearn.isotonic import IsotonicRegression


def psi_numeric(ref, cur, bins):
    edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins=bins)
    r = np.histogram(ref, edges)[0] / len(ref)
    c = np.histogram(cur, edges)[0] / len(cur)
    r = np.where(r == 0, 0.0001, r)
    c = np.where(c == 0, 0.0001, c)
    return float(np.sum((c - r) * np.log(c / r)))


def run(case):
    kind = case["kind"]
    if kind == "ks":
        result = stats.ks_2samp(case["a"], case["b"], method="exact")
        return [float(result.statistic), float(result.pvalue)]
    if kind == "chi2":
        result = stats.chisquare(case["observed"], case["expected"])
        return [float(result.statistic), float(result.pvalue)]
    if kind == "wasserstein":
        return [float(stats.wasserstein_distance(case["a"], case["b"]))]
    if kind == "js":
        return [float(distance.jensenshannon(case["p"], case["q"], base=2))]
    if kind == "psi":
        return [psi_numeric(np.array(case["a"]), np.array(case["b"]), case["bins"])]
    if kind == "classifier":
        y, s = np.array(case["labels"]), np.array(case["scores"])
        return [float(metrics.roc_auc_score(y, s)), float(metrics.average_precision_score(y, s)), float(metrics.brier_score_loss(y, s))]
    if kind == "calibration":
        observed, predicted = calibration_curve(case["labels"], case["scores"], n_bins=case["bins"], strategy="uniform")
        return [float(v) for pair in zip(observed, predicted) for v in pair]
    if kind == "isotonic":
        model = IsotonicRegression(increasing=True, out_of_bounds="clip").fit(case["scores"], case["labels"])
        return [float(v) for v in model.predict(case["at"])]
    raise ValueError(kind)


print(json.dumps([run(c) for c in json.load(sys.stdin)]))
