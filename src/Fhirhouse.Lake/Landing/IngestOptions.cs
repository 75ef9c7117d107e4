using Fhirhouse.Delta;
using Fhirhouse.Fhir.Ndjson;

namespace Fhirhouse.Lake.Landing;

/// <summary>How payloads are landed. <see cref="Validate"/> names the bad setting.</summary>
public sealed record IngestOptions
{
    /// <summary>Validation level (default structure).</summary>
    public ValidationLevel Validation { get; init; } = ValidationLevel.Structure;

    /// <summary>The validator for <see cref="ValidationLevel.Full"/>.</summary>
    public IResourceValidator? FullValidator { get; init; }

    /// <summary>Rows per commit: a payload larger than this lands in several idempotent commits, so memory stays flat.</summary>
    public int ChunkSize { get; init; } = 50_000;

    /// <summary>
    /// The longest NDJSON line landed, in bytes (default 64 MiB, <see cref="NdjsonReader.DefaultMaxLineBytes"/>): a
    /// longer line is quarantined (the raw payload keeps it) and the lines after it are read.
    /// </summary>
    public int MaxLineBytes { get; init; } = NdjsonReader.DefaultMaxLineBytes;

    /// <summary>Clock for received/ingested times and commits.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public DeltaTableOptions TableOptions => new() { TimeProvider = Time };

    public IngestOptions Validate()
    {
        if (ChunkSize < 1)
        {
            throw new ArgumentException($"The chunk size must be at least 1 (got {ChunkSize}).");
        }

        if (MaxLineBytes < 1 || MaxLineBytes > Array.MaxLength - 1)
        {
            throw new ArgumentException($"The longest line must be from 1 to {Array.MaxLength - 1} bytes (got {MaxLineBytes}).");
        }

        if (Validation == ValidationLevel.Full && FullValidator is null)
        {
            throw new ArgumentException("Validation level 'full' needs a validator (FullValidator).");
        }

        return this;
    }
}
