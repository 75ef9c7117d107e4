using System.Collections.Concurrent;
using System.Security.Cryptography;
using Fhirhouse.Governance.Audit;
using Fhirhouse.Lake.Bronze;

namespace Fhirhouse.Server.Export;

/// <summary>
/// Starts export jobs in the background and knows their progress. A job found in the lake still in progress but not
/// running here (the server restarted) is run again on the bronze version it recorded; finished jobs are served from
/// the lake.
/// </summary>
internal sealed class ExportScheduler(ExportJobStore store, BronzeTable bronze, BulkServerOptions options) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Running> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    public async Task<ExportJob> StartAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        var snapshot = await bronze.Table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (request.Level == ExportLevel.Group)
        {
            await ExportRunner.PatientsAsync(request, bronze.Table, snapshot, await BronzeScan.ReadCurrentAsync(bronze.Table, snapshot, "Group", cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }

        var job = new ExportJob(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), ExportJob.InProgress, request,
            options.Time.GetUtcNow(), snapshot.Version, [], null);
        await store.SaveAsync(job, cancellationToken).ConfigureAwait(false);
        Launch(job);
        return job;
    }

    /// <summary>The job and, while it runs in this process, its progress.</summary>
    public async Task<(ExportJob Job, string? Progress)?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (_running.TryGetValue(id, out var running))
        {
            return (running.Job, running.Progress);
        }

        var job = await store.LoadAsync(id, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return null;
        }

        if (job.Status == ExportJob.InProgress)
        {
            running = Launch(job);
            return (job, running.Progress);
        }

        return (job, null);
    }

    public async Task<bool> CancelAsync(string id, CancellationToken cancellationToken)
    {
        if (_running.TryRemove(id, out var running))
        {
            await running.Cancellation.CancelAsync().ConfigureAwait(false);
            try
            {
                await running.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        var job = await store.LoadAsync(id, cancellationToken).ConfigureAwait(false);
        if (job is null || job.Status == ExportJob.Cancelled)
        {
            return false;
        }

        await store.DeleteFilesAsync(id, cancellationToken).ConfigureAwait(false);
        await store.SaveAsync(job with { Status = ExportJob.Cancelled, Files = [] }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private Running Launch(ExportJob job)
    {
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var running = new Running(job, cancellation) { Progress = "queued" };
        if (!_running.TryAdd(job.Id, running))
        {
            cancellation.Dispose();
            return _running[job.Id];
        }

        running.Task = Task.Run(async () =>
        {
            ExportJob finished;
            try
            {
                finished = await new ExportRunner(store, bronze, options).RunAsync(job, p => running.Progress = p, cancellation.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                finished = job with { Status = ExportJob.Failed, Failure = e.Message };
            }

            finished = await AuditAsync(finished, cancellation.Token).ConfigureAwait(false);
            await store.SaveAsync(finished, cancellation.Token).ConfigureAwait(false);
            _running.TryRemove(job.Id, out _);
        }, CancellationToken.None);
        return running;
    }

    /// <summary>
    /// Under governance, writes the finished export to the audit log (types, resources written, outcome); when that
    /// fails the export fails and its files are deleted: nothing leaves unaudited.
    /// </summary>
    private async Task<ExportJob> AuditAsync(ExportJob finished, CancellationToken cancellationToken)
    {
        if (options.Governance is not { } governance || finished.Request.Identity is not { } who)
        {
            return finished;
        }

        var outputs = finished.Files.Where(f => f.Kind == "output").ToList();
        var ok = finished.Status == ExportJob.Completed;
        var entry = new AuditEntry(who.User, who.Role, who.Purpose, EntryPoints.ServerExport, finished.Request.RequestUrl,
            outputs.Select(f => Governance.Enforcement.LakeGovernance.ExportTablePrefix + f.Type).Distinct(StringComparer.Ordinal).ToList(),
            outputs.Sum(f => f.Count), ok ? AuditOutcomes.Ok : AuditOutcomes.Error, ok ? null : finished.Failure);
        try
        {
            await governance.Audit.AppendAsync(entry, cancellationToken).ConfigureAwait(false);
            return finished;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await store.DeleteFilesAsync(finished.Id, cancellationToken).ConfigureAwait(false);
            return finished with { Status = ExportJob.Failed, Files = [], Failure = $"the export could not be audited, so its files were deleted: {e.Message}" };
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var running in _running.Values)
        {
            try
            {
                await running.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stopping.Dispose();
    }

    private sealed class Running(ExportJob job, CancellationTokenSource cancellation)
    {
        public ExportJob Job { get; } = job;

        public CancellationTokenSource Cancellation { get; } = cancellation;

        public Task Task { get; set; } = Task.CompletedTask;

        public string? Progress { get; set; }
    }
}
