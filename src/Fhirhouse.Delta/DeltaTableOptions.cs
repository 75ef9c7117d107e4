namespace Fhirhouse.Delta;

/// <summary>How a <see cref="DeltaTable"/> writes: clock, checkpoint interval, commit retries, engine name.</summary>
public sealed record DeltaTableOptions
{
    /// <summary>The clock for commit timestamps, file modification times and VACUUM retention.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>A checkpoint is written after every commit whose version is a multiple of this (Spark's default: 10).</summary>
    public int CheckpointInterval { get; init; } = 10;

    /// <summary>How many times a commit is retried after losing a race to a non-conflicting commit.</summary>
    public int MaxCommitAttempts { get; init; } = 100;

    /// <summary>A write starts a new data file once a partition's file holds this many rows (bounds a write's memory).</summary>
    public int MaxRowsPerFile { get; init; } = 1_000_000;

    /// <summary>The engineInfo written in commitInfo.</summary>
    public string EngineInfo { get; init; } = "Fhirhouse.Delta/1.0";

    /// <summary>Fails fast on settings outside their accepted ranges.</summary>
    public DeltaTableOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(TimeProvider);
        if (CheckpointInterval < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CheckpointInterval), CheckpointInterval, "CheckpointInterval must be at least 1.");
        }

        if (MaxRowsPerFile < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRowsPerFile), MaxRowsPerFile, "MaxRowsPerFile must be at least 1.");
        }

        if (MaxCommitAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxCommitAttempts), MaxCommitAttempts, "MaxCommitAttempts must be at least 1.");
        }

        return this;
    }
}
