using System.IO.Pipelines;
using System.Security.Cryptography;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Operations;
using Fhirhouse.Lake;
using Fhirhouse.Lake.Erasure;
using Fhirhouse.Lake.Quarantine;
using Fhirhouse.Lake.Raw;
using Fhirhouse.Storage;

namespace Fhirhouse.Governance.Erasure;

/// <summary>
/// The raw zone step: payloads rewritten without the patient as new objects (<see cref="RunAsync"/>); once the tables
/// point at them (<see cref="TableRowErasure"/>), the manifest updated and the old objects deleted (<see cref="FinishAsync"/>).
/// </summary>
internal sealed class RawZoneErasure(ErasureContext context)
{
    public async Task RunAsync(List<string> tables, CancellationToken cancellationToken)
    {
        await AddRawCandidatesAsync(tables, cancellationToken).ConfigureAwait(false);
        var candidates = context.Candidates.Where(k => k.StartsWith(LakeLayout.RawPayloads, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < candidates.Count; i++)
        {
            var key = candidates[i];
            context.Report("raw", key, i, candidates.Count);
            if (!await context.Lake.ExistsAsync(key, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var erased = PayloadText.IsSingleDocument(key)
                ? await StripDocumentAsync(key, cancellationToken).ConfigureAwait(false)
                : await StripLinesAsync(key, cancellationToken).ConfigureAwait(false);
            if (erased is null)
            {
                continue;
            }

            context.Journal.Record(erased);
            await context.SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        context.Report("raw", "", candidates.Count, candidates.Count);
    }

    /// <summary>A whole JSON document (a Bundle) without the patient's entries, in memory; null when none is theirs.</summary>
    private async Task<PayloadErasure?> StripDocumentAsync(string key, CancellationToken cancellationToken)
    {
        var stored = await context.Lake.ReadAllBytesAsync(key, cancellationToken).ConfigureAwait(false);
        if (PayloadText.Strip(stored, singleDocument: true, context.Matcher, out var emptied, out var removed, out var empty) is not { } stripped)
        {
            return null;
        }

        string? newKey = null;
        if (!empty)
        {
            newKey = NewKey(key, SHA256.HashData(stripped));
            if (!context.Options.DryRun)
            {
                await context.Lake.PutIfAbsentAsync(newKey, stripped, cancellationToken).ConfigureAwait(false);
            }
        }

        return new PayloadErasure(key, newKey, empty ? 0 : stripped.Length, removed, emptied);
    }

    /// <summary>
    /// An NDJSON payload without the patient's lines, streamed twice: once to learn the new content's hash (its key),
    /// once into the new object, so that memory holds a line at a time whatever the payload's size. Null when no line is theirs.
    /// </summary>
    private async Task<PayloadErasure?> StripLinesAsync(string key, CancellationToken cancellationToken)
    {
        Task<Stream> Open(CancellationToken token) => context.Lake.OpenReadAsync(key, token);
        var first = await StreamedNdjson.StripAsync(Open, Stream.Null, context.Matcher, cancellationToken).ConfigureAwait(false);
        if (!first.Changed)
        {
            return null;
        }

        string? newKey = null;
        if (!first.Empty)
        {
            newKey = NewKey(key, first.Sha256);
            if (!context.Options.DryRun && !await context.Lake.ExistsAsync(newKey, cancellationToken).ConfigureAwait(false))
            {
                await WriteStrippedAsync(key, Open, newKey, first.Sha256, cancellationToken).ConfigureAwait(false);
            }
        }

        return new PayloadErasure(key, newKey, first.Empty ? 0 : first.Length, first.Removed, first.EmptiedLines);
    }

    /// <summary>
    /// The second pass: the stripped lines streamed through a pipe into the new object. Its content must hash as the
    /// first pass's did; otherwise the object is deleted again and nothing is changed.
    /// </summary>
    private async Task WriteStrippedAsync(string key, Func<CancellationToken, Task<Stream>> open, string newKey, byte[] expectedSha256, CancellationToken cancellationToken)
    {
        var pipe = new Pipe();
        var produce = ProduceAsync(pipe.Writer, open, cancellationToken);
        bool written;
        try
        {
            written = await context.Lake.PutIfAbsentAsync(newKey, pipe.Reader.AsStream(), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The writer must not wait on a reader that is gone: complete it, let the producer finish, keep the store's error.
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            await Task.WhenAny(produce).ConfigureAwait(false);
            throw;
        }

        var second = await produce.ConfigureAwait(false);
        if (!second.Sha256.AsSpan().SequenceEqual(expectedSha256))
        {
            if (written)
            {
                await context.Lake.DeleteAsync(newKey, cancellationToken).ConfigureAwait(false);
            }

            throw new InvalidDataException($"Raw payload '{key}' gave different content on two reads while the patient was erased from it; nothing was changed. Run forget again.");
        }
    }

    /// <summary>Writes the payload's stripped lines into <paramref name="writer"/>, completing it (with the error, if any).</summary>
    private async Task<StreamedNdjson.Outcome> ProduceAsync(PipeWriter writer, Func<CancellationToken, Task<Stream>> open, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            StreamedNdjson.Outcome outcome;
            await using (var output = writer.AsStream())
            {
                outcome = await StreamedNdjson.StripAsync(open, output, context.Matcher, cancellationToken).ConfigureAwait(false);
            }

            return outcome;
        }
        catch (Exception e)
        {
            await writer.CompleteAsync(e).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The content-addressed key of a payload's rewrite: the new content's hash, the old key's extension.</summary>
    private static string NewKey(string key, byte[] sha256)
    {
        var hash = Convert.ToHexStringLower(sha256);
        var name = key[(key.LastIndexOf('/') + 1)..];
        var extension = name.Length > 64 ? name[64..] : "";
        return $"{LakeLayout.RawPayloads}{hash[..2]}/{hash}{extension}";
    }

    /// <summary>
    /// Once the tables point at the new objects: the manifest records the rewrites, and the old payloads are deleted
    /// (in this order, so that no row ever names an object that is gone).
    /// </summary>
    public async Task FinishAsync(List<string> tables, CancellationToken cancellationToken)
    {
        if (context.Options.DryRun || context.Journal.Payloads.Count == 0)
        {
            return;
        }

        await UpdateManifestAsync(tables, cancellationToken).ConfigureAwait(false);
        foreach (var payload in context.Journal.Payloads)
        {
            await context.Lake.DeleteAsync(payload.Key, cancellationToken).ConfigureAwait(false);
        }

        context.Journal.RawDone = true;
        await context.SaveAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Payloads to check besides those of the patient's bronze rows: those of quarantine rows that are theirs or could
    /// not be read, payloads of an interrupted run, and objects of the raw zone the manifest does not list.
    /// </summary>
    private async Task AddRawCandidatesAsync(List<string> tables, CancellationToken cancellationToken)
    {
        foreach (var payload in context.Journal.Payloads)
        {
            context.Candidates.Add(payload.Key);
        }

        if (tables.Contains(QuarantineTable.TablePath, StringComparer.Ordinal))
        {
            var snapshot = await (await context.OpenTableAsync(QuarantineTable.TablePath, cancellationToken).ConfigureAwait(false)).GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            int raw = snapshot.Schema.IndexOf("raw_key"), type = snapshot.Schema.IndexOf("resource_type"), id = snapshot.Schema.IndexOf("id");
            await foreach (var row in snapshot.ReadRowsAsync(["raw_key", "resource_type", "id"], cancellationToken).ConfigureAwait(false))
            {
                if (row[id] is null || context.Matcher.OwnsKey(row[type] as string ?? "Patient", row[id] as string))
                {
                    context.Candidates.Add((string)row[raw]!);
                }
            }
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        if (tables.Contains(RawManifestTable.TablePath, StringComparer.Ordinal))
        {
            var snapshot = await (await context.OpenTableAsync(RawManifestTable.TablePath, cancellationToken).ConfigureAwait(false)).GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var raw = snapshot.Schema.IndexOf("raw_key");
            await foreach (var row in snapshot.ReadRowsAsync(["raw_key"], cancellationToken).ConfigureAwait(false))
            {
                listed.Add((string)row[raw]!);
            }
        }

        await foreach (var info in context.Lake.ListAsync(LakeLayout.RawPayloads, cancellationToken).ConfigureAwait(false))
        {
            if (!listed.Contains(info.Key))
            {
                context.Candidates.Add(info.Key);
            }
        }
    }

    /// <summary>The manifest records each rewrite (new key, hash, size, fewer resources, status "rewritten") and drops payloads that were wholly the patient's.</summary>
    private async Task UpdateManifestAsync(List<string> tables, CancellationToken cancellationToken)
    {
        if (!tables.Contains(RawManifestTable.TablePath, StringComparer.Ordinal))
        {
            return;
        }

        var manifest = await context.OpenTableAsync(RawManifestTable.TablePath, cancellationToken).ConfigureAwait(false);
        var schema = (await manifest.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Schema;
        int raw = schema.IndexOf("raw_key"), sha = schema.IndexOf("sha256"), size = schema.IndexOf("size"), status = schema.IndexOf("status"), resources = schema.IndexOf("resources");
        var byKey = context.Journal.Payloads.ToDictionary(p => p.Key, StringComparer.Ordinal);
        await manifest.RewriteAsync(
            RowPredicate.Where(["raw_key"], row => row[raw] is string k && byKey.ContainsKey(k)),
            row =>
            {
                var payload = byKey[(string)row[raw]!];
                if (payload.NewKey is not { } newKey)
                {
                    return null;
                }

                var copy = (object?[])row.Clone();
                copy[raw] = newKey;
                var name = newKey[(newKey.LastIndexOf('/') + 1)..];
                if (sha >= 0)
                {
                    copy[sha] = name[..64];
                }

                if (size >= 0)
                {
                    copy[size] = payload.NewSize;
                }

                if (status >= 0)
                {
                    copy[status] = "rewritten";
                }

                if (resources >= 0 && row[resources] is long count)
                {
                    copy[resources] = Math.Max(0, count - payload.Removed);
                }

                return copy;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
