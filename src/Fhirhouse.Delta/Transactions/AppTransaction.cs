namespace Fhirhouse.Delta.Transactions;

/// <summary>
/// An application's batch identity for exactly-once writes: a write with this txn commits only when
/// <see cref="Version"/> is above the last version the table recorded for <see cref="AppId"/>.
/// </summary>
public sealed record AppTransaction(string AppId, long Version);
