using Fhirhouse.Delta;
using Fhirhouse.Governance.Erasure;
using Fhirhouse.Storage;

namespace Fhirhouse.Governance.Tests.Erasure;

/// <summary>
/// Writers write their data files, then commit them. An erasure running between the two (here: forced, the writer held
/// between writing and committing while <c>forget</c> runs) must not delete those files: once the writer commits, every
/// one of its rows is there.
/// </summary>
public sealed class ConcurrentWriterErasureTests
{
    [Fact]
    public async Task A_writer_held_between_writing_and_committing_while_forget_runs_loses_no_row()
    {
        using var lake = await GovernanceLake.BuildAsync(patients: 4, seed: 9);
        var erasure = await PatientErasure.OpenAsync(lake.Store, lake.Keys);
        var patients = lake.Patients.Keys.Order(StringComparer.Ordinal).ToList();
        var committed = new List<string>();
        for (var round = 0; round < 3; round++)
        {
            var writer = await DeltaTable.OpenAsync(lake.Store, GovernanceLake.GoldTable);
            var rows = Enumerable.Range(0, 5).Select(i => new object?[] { $"concurrent-{round}-{i}", (long)i }).ToList();
            var files = await writer.WriteDataFilesAsync(rows);

            await erasure.EraseAsync(patients[round], new ErasureOptions { Operator = "dpo", Audit = new RecordingErasureAudit() });
            await writer.AppendFilesAsync(_ => Task.FromResult(files));
            committed.AddRange(rows.Select(r => (string)r[0]!));
        }

        var table = await DeltaTable.OpenAsync(lake.Store, GovernanceLake.GoldTable);
        var present = await (await table.GetSnapshotAsync()).ReadRowsAsync().Select(r => (string?)r[0]).ToListAsync();
        Assert.Equal(committed.Order(StringComparer.Ordinal), present.Where(p => p!.StartsWith("concurrent-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(patients[0], present);
        Assert.DoesNotContain(patients[2], present);
        Assert.Contains(patients[3], present);
    }

    [Fact]
    public async Task Files_a_commit_removed_are_vacuumed_and_a_young_file_no_commit_names_is_kept()
    {
        using var lake = await GovernanceLake.BuildAsync(patients: 2, seed: 5);
        var writer = await DeltaTable.OpenAsync(lake.Store, GovernanceLake.GoldTable);
        var pending = Assert.Single(await writer.WriteDataFilesAsync([["pending", 1L]]));

        var report = await (await PatientErasure.OpenAsync(lake.Store, lake.Keys))
            .EraseAsync(lake.Patients.Keys.Order(StringComparer.Ordinal).First(), new ErasureOptions { Operator = "dpo", Audit = new RecordingErasureAudit() });

        var gold = Assert.Single(report.Tables, t => t.Path == GovernanceLake.GoldTable);
        Assert.NotEmpty(gold.FilesVacuumed);
        Assert.DoesNotContain(writer.DataFileKey(pending.RelativePath), gold.FilesVacuumed);
        Assert.True(await lake.Store.ExistsAsync(writer.DataFileKey(pending.RelativePath)));
        Assert.Throws<ArgumentException>(() => new ErasureOptions { Operator = "dpo", Audit = new RecordingErasureAudit(), UncommittedGrace = TimeSpan.Zero }.Validate());
    }
}
