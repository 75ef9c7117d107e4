using Fhirhouse.Storage;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;
using Xunit.Abstractions;

namespace Fhirhouse.Delta.Tests.Golden;

/// <summary>Every table of Delta's own connector golden tables opens and replays, or is refused by name.</summary>
public sealed class SparkGoldenTests(ITestOutputHelper output)
{
    // Broken on purpose in the Delta project's tests (same names as in kernel-golden's must-fail list).
    private static readonly Dictionary<string, Type> s_mustFail = new(StringComparer.Ordinal)
    {
        ["deltalog-invalid-protocol-version"] = typeof(UnsupportedTableFeatureException),
        ["deltalog-state-reconstruction-from-checkpoint-missing-metadata"] = typeof(DeltaProtocolException),
        ["deltalog-state-reconstruction-from-checkpoint-missing-protocol"] = typeof(DeltaProtocolException),
        ["deltalog-state-reconstruction-without-metadata"] = typeof(DeltaProtocolException),
        ["deltalog-state-reconstruction-without-protocol"] = typeof(DeltaProtocolException),
        ["versions-not-contiguous"] = typeof(DeltaProtocolException),
        ["data-reader-absolute-paths-escaped-chars"] = typeof(DeltaProtocolException),
    };

    [Fact]
    public async Task Every_spark_golden_table_opens_and_replays_or_is_refused_by_name()
    {
        var root = RepoPaths.TestData("delta", "spark-golden");
        int opened = 0, refused = 0, failedAsTheyMust = 0, rowsRead = 0;
        var failures = new List<string>();
        foreach (var caseDir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(caseDir);
            var store = new LocalObjectStore(caseDir);
            var tables = Directory.GetDirectories(caseDir, "_delta_log", SearchOption.AllDirectories)
                .Select(d => Path.GetRelativePath(caseDir, Path.GetDirectoryName(d)!).Replace(Path.DirectorySeparatorChar, '/'))
                .Select(p => p == "." ? "" : p)
                .Order(StringComparer.Ordinal)
                .ToList();
            if (tables.Count == 0)
            {
                var e = await Record.ExceptionAsync(() => DeltaTable.OpenAsync(store, ""));
                if (e is DeltaTableNotFoundException)
                {
                    failedAsTheyMust++;
                    output.WriteLine($"not-a-table        {name}");
                }
                else
                {
                    failures.Add($"{name}: no _delta_log but got {e?.GetType().Name ?? "a table"}");
                }

                continue;
            }

            foreach (var tablePath in tables)
            {
                var label = tablePath.Length == 0 ? name : name + "/" + tablePath;
                try
                {
                    var table = await DeltaTable.OpenAsync(store, tablePath);
                    var snapshot = await table.GetSnapshotAsync();
                    var history = await table.GetHistoryAsync();
                    if (s_mustFail.ContainsKey(name))
                    {
                        failures.Add($"{label}: opened a table that must fail");
                        continue;
                    }

                    var rows = 0;
                    if (await AllFilesExistAsync(store, snapshot))
                    {
                        await foreach (var _ in snapshot.ReadRowsAsync())
                        {
                            rows++;
                        }

                        rowsRead++;
                    }

                    opened++;
                    output.WriteLine($"opened             {label} v{snapshot.Version} files={snapshot.Files.Count} rows={rows} commits={history.Count}");
                }
                catch (UnsupportedTableFeatureException e)
                {
                    refused++;
                    output.WriteLine($"refused-by-design  {label} {e.Feature}");
                }
                catch (Exception e) when (s_mustFail.TryGetValue(name, out var type) && e.GetType() == type)
                {
                    failedAsTheyMust++;
                    output.WriteLine($"failed-as-it-must  {label} {e.Message}");
                }
                catch (Exception e)
                {
                    failures.Add($"{label}: {e.GetType().Name}: {e.Message}");
                }
            }
        }

        output.WriteLine($"spark-golden: opened {opened} (rows read in {rowsRead}) / refused-by-design {refused} / failed-as-they-must {failedAsTheyMust} / failed {failures.Count}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(opened >= 80, $"only {opened} tables opened");
    }

    private static async Task<bool> AllFilesExistAsync(IObjectStore store, Snapshot snapshot)
    {
        foreach (var file in snapshot.Files)
        {
            if (file.Path.Contains(':', StringComparison.Ordinal) || file.Path.StartsWith('/') ||
                !await store.ExistsAsync(Fhirhouse.Delta.Log.DeltaPath.KeyOf(snapshot.TablePath, file.Path)))
            {
                return false;
            }
        }

        return true;
    }
}
