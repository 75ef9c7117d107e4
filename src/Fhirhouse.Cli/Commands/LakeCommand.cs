using System.CommandLine;
using Fhirhouse.Governance.Erasure;
using Fhirhouse.Lake.Integrity;
using Fhirhouse.Storage.Lake;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>fhirhouse lake verify</c>: reads every object end to end and reports tampered or unreadable ones by key, checks
/// every table's log as a whole (hash chain and head record) naming table and versions, and reports erased subjects whose
/// resources are back in bronze (by their keyed hash, from the erasure ledger). <c>fhirhouse lake upgrade</c> brings a
/// lake written before lake ids and table heads to the current format.
/// </summary>
internal static class LakeCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("lake", "Check the lake itself.");
        var lake = new LakeOptionSet();
        var verify = new Command("verify", "Read every object of the lake end to end and every table's log as a whole; report tampered, unreadable or key-less objects by path, tables whose commits were deleted or replaced by table and version, and erased patients that are back. Exit 1 when any is found.");
        lake.AddTo(verify);
        verify.SetAction(async (parse, cancellationToken) =>
        {
            var store = await lake.OpenAsync(parse, context, cancellationToken).ConfigureAwait(false);
            var result = await Fhirhouse.Storage.Lake.LakeVerifier.VerifyAsync(store, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var problem in result.Problems)
            {
                context.Out.WriteLine($"{problem.Kind}: {problem.Key}: {problem.Message}");
            }

            var tables = await TableIntegrity.VerifyAsync(store.Objects, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var problem in tables)
            {
                context.Out.WriteLine($"table: {problem.Table}: {problem.Message}");
            }

            var reappeared = await ReappearedAsync(store, context, cancellationToken).ConfigureAwait(false);
            foreach (var subject in reappeared)
            {
                context.Out.WriteLine($"reappeared: subject {subject.Subject}: erased {subject.ErasedAt:yyyy-MM-dd HH:mm}Z, back in bronze ({subject.Rows} rows; restored from a backup?): run 'fhirhouse forget --reapply'");
            }

            var problems = result.Problems.Count + tables.Count + reappeared.Count;
            context.Out.WriteLine($"{result.ObjectsChecked} objects ({result.BytesChecked:N0} bytes) checked, {problems} problems");
            return problems == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        command.Subcommands.Add(verify);

        var upgrade = new Command("upgrade", "Bring a lake written by an older version to the current format: give every object the lake's id (headers only, data untouched) and every table its head record. Safe to run again after an interruption.");
        lake.AddTo(upgrade);
        upgrade.SetAction(async (parse, cancellationToken) =>
        {
            using var store = await lake.OpenAsync(parse, context, cancellationToken, forUpgrade: true).ConfigureAwait(false);
            var result = await LakeUpgrade.RunAsync(store, new SynchronousProgress<string>(line => context.Error.WriteLine($"lake upgrade: {line}")), cancellationToken).ConfigureAwait(false);
            context.Out.WriteLine(result.AlreadyCurrent
                ? $"lake {store.Location} is already current (lake id {store.Metadata.LakeId})"
                : $"lake {store.Location} upgraded: lake id {store.Metadata.LakeId}, {result.ObjectsRewritten} object headers rewritten, {result.TablesSealed} tables given a head record");
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(upgrade);
        return command;
    }

    /// <summary>Erased subjects back in bronze (the erasure ledger against bronze's patients); none for a lake without its own key provider.</summary>
    private static async Task<IReadOnlyList<ReappearedSubject>> ReappearedAsync(LakeStore store, CliContext context, CancellationToken cancellationToken)
    {
        if (store.Encrypted?.KeyProvider is not { } keys)
        {
            context.Error.WriteLine("lake verify: erased subjects not checked (the ledger's keyed hashes need the lake's key provider; an sse-kms lake has none)");
            return [];
        }

        var erasure = await PatientErasure.OpenAsync(store.Objects, keys, cancellationToken).ConfigureAwait(false);
        return await ErasureLedger.FindReappearedAsync(store.Objects, erasure, cancellationToken).ConfigureAwait(false);
    }
}
