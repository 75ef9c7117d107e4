using System.Globalization;
using Fhirhouse.Ml.Evaluation;

namespace Fhirhouse.Ml.Pipelines;

/// <summary>The checks a model passes before it may become champion (<see cref="GateSpec"/>), each with its reason in words.</summary>
public static class Gates
{
    /// <summary>A model's own gates on its holdout: minimum AUROC, maximum Brier and calibration error, no subgroup too far below the overall AUROC.</summary>
    public static GateResult Check(GateSpec gates, Evaluation.Evaluation holdout)
    {
        ArgumentNullException.ThrowIfNull(gates);
        ArgumentNullException.ThrowIfNull(holdout);
        var failed = new List<string>();
        var passed = new List<string>();
        void Rule(bool ok, string text) => (ok ? passed : failed).Add(text);
        var overall = holdout.Overall;
        Rule(overall.Auroc >= gates.MinAuroc, $"AUROC {F(overall.Auroc)} {(overall.Auroc >= gates.MinAuroc ? ">=" : "<")} the minimum {F(gates.MinAuroc)}");
        Rule(overall.Brier <= gates.MaxBrier, $"Brier score {F(overall.Brier)} {(overall.Brier <= gates.MaxBrier ? "<=" : ">")} the maximum {F(gates.MaxBrier)}");
        Rule(overall.CalibrationError <= gates.MaxCalibrationError, $"calibration error {F(overall.CalibrationError)} {(overall.CalibrationError <= gates.MaxCalibrationError ? "<=" : ">")} the maximum {F(gates.MaxCalibrationError)}");
        foreach (var (name, group) in holdout.Subgroups)
        {
            if (!Assessable(gates, group))
            {
                passed.Add($"subgroup {name}: not assessed ({group.Rows} rows, {group.Positives} positive; needs {gates.MinimumSubgroupRows} rows and both outcomes)");
                continue;
            }

            var drop = overall.Auroc - group.Auroc;
            Rule(drop <= gates.MaxSubgroupAurocDrop, drop <= gates.MaxSubgroupAurocDrop
                ? $"subgroup {name}: AUROC {F(group.Auroc)}, within {F(gates.MaxSubgroupAurocDrop)} of the overall {F(overall.Auroc)}"
                : $"subgroup {name}: AUROC {F(group.Auroc)} is {F(drop)} below the overall {F(overall.Auroc)} (bound {F(gates.MaxSubgroupAurocDrop)})");
        }

        return new GateResult(failed, passed);
    }

    /// <summary>
    /// A challenger against the champion on the same recent holdout: it must beat the champion's AUROC, and no assessable
    /// subgroup may lose more than the bound against the champion.
    /// </summary>
    public static GateResult Compare(GateSpec gates, Evaluation.Evaluation challenger, Evaluation.Evaluation champion)
    {
        ArgumentNullException.ThrowIfNull(gates);
        ArgumentNullException.ThrowIfNull(challenger);
        ArgumentNullException.ThrowIfNull(champion);
        var failed = new List<string>();
        var passed = new List<string>();
        var beats = challenger.Overall.Auroc > champion.Overall.Auroc;
        (beats ? passed : failed).Add($"recent AUROC {F(challenger.Overall.Auroc)} {(beats ? ">" : "<=")} the champion's {F(champion.Overall.Auroc)}");
        foreach (var (name, group) in challenger.Subgroups)
        {
            if (!champion.Subgroups.TryGetValue(name, out var before) || !Assessable(gates, group))
            {
                continue;
            }

            var loss = before.Auroc - group.Auroc;
            (loss <= gates.MaxSubgroupLossVersusChampion ? passed : failed).Add(loss <= gates.MaxSubgroupLossVersusChampion
                ? $"subgroup {name}: AUROC {F(group.Auroc)} against the champion's {F(before.Auroc)}"
                : $"subgroup {name}: AUROC {F(group.Auroc)} is {F(loss)} worse than the champion's {F(before.Auroc)} (bound {F(gates.MaxSubgroupLossVersusChampion)})");
        }

        return new GateResult(failed, passed);
    }

    private static bool Assessable(GateSpec gates, Performance group) =>
        group.Rows >= gates.MinimumSubgroupRows && group.Positives > 0 && group.Positives < group.Rows;

    private static string F(double value) => double.IsNaN(value) ? "n/a" : value.ToString("0.000", CultureInfo.InvariantCulture);
}
