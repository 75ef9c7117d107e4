using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Fhirhouse.Server.Tests;

/// <summary>
/// Middleware placed in the server's pipeline by a test: answers the next status polls with 429, the next file
/// downloads with 503 or a connection dropped midway through the body, and counts what it saw.
/// </summary>
internal sealed class FaultInjector
{
    private int _tooManyOnStatus;
    private int _unavailableOnFiles;
    private int _droppedFiles;
    private int _kickOffs;
    private int _fileRequests;

    public FaultInjector(int tooManyOnStatus = 0, int unavailableOnFiles = 0, int droppedFiles = 0)
    {
        _tooManyOnStatus = tooManyOnStatus;
        _unavailableOnFiles = unavailableOnFiles;
        _droppedFiles = droppedFiles;
    }

    public int KickOffs => _kickOffs;

    public int FileRequests => _fileRequests;

    /// <summary>When each status poll that reached the server was answered 202 (seconds since the first request).</summary>
    public ConcurrentQueue<double> InProgressPolls { get; } = new();

    public int FaultsLeft => Volatile.Read(ref _tooManyOnStatus) + Volatile.Read(ref _unavailableOnFiles) + Volatile.Read(ref _droppedFiles);

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public void Install(IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (path.EndsWith("/$export", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _kickOffs);
        }
        else if (path.Contains("/files/", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _fileRequests);
            if (Take(ref _unavailableOnFiles))
            {
                context.Response.StatusCode = 503;
                return;
            }

            if (Take(ref _droppedFiles))
            {
                context.Response.ContentLength = 100_000;
                await context.Response.WriteAsync("{\"resourceType\":\"Pat");
                await context.Response.Body.FlushAsync();
                context.Abort();
                return;
            }
        }
        else if (path.Contains("/_export/", StringComparison.Ordinal) && HttpMethods.IsGet(context.Request.Method))
        {
            if (Take(ref _tooManyOnStatus))
            {
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "0";
                return;
            }

            await next(context);
            if (context.Response.StatusCode == 202)
            {
                InProgressPolls.Enqueue(_clock.Elapsed.TotalSeconds);
            }

            return;
        }

        await next(context);
    });

    private static bool Take(ref int counter)
    {
        while (true)
        {
            var left = Volatile.Read(ref counter);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, left - 1, left) == left)
            {
                return true;
            }
        }
    }
}
