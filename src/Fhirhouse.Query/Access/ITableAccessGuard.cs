namespace Fhirhouse.Query.Access;

/// <summary>
/// Decides, for every lake table a query names, whether it may be read and how: the engine registers the table as a
/// view that applies the returned masks and row filter, so no SQL reaches the raw columns. While a guard is set the
/// engine also refuses table functions (<c>read_parquet</c>, <c>read_csv</c>, <c>glob</c>...), names that are not lake
/// tables or CTEs, qualified names and calls to the engine's own <c>fhirhouse_</c> functions.
/// </summary>
public interface ITableAccessGuard
{
    /// <summary>The secret the <see cref="ColumnMaskKind.Hash"/> mask keys its HMAC-SHA256 with (at least 32 bytes).</summary>
    ReadOnlyMemory<byte> HashKey { get; }

    /// <summary>Functions the guard's mask expressions call (named <c>fhirhouse_...</c>, so user SQL cannot call them).</summary>
    IReadOnlyList<GuardFunction> Functions => [];

    /// <summary>How <paramref name="request"/>'s table may be read; throws <see cref="AccessDeniedException"/> when it may not.</summary>
    ValueTask<TableAccess> AuthorizeAsync(TableAccessRequest request, CancellationToken cancellationToken);
}
