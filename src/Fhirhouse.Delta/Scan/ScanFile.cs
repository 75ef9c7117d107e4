using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Log;

namespace Fhirhouse.Delta.Scan;

/// <summary>
/// A data file of a snapshot as a reader needs it (delta-kernel's scan file): its object key in the store, its
/// partition values, its parsed statistics and its deletion vector. Read it by column with
/// <see cref="Columnar.ColumnarFileReader"/>, or hand <see cref="Key"/> to another engine.
/// </summary>
public sealed class ScanFile
{
    private readonly ScanColumns _columns;
    private string? _key;
    private IReadOnlyDictionary<string, string?>? _partitionValues;
    /// <summary>Marks statistics parsed as none (null means not parsed yet): one reference, read and written atomically.</summary>
    private static readonly object s_noStatistics = new();
    private object? _statistics;

    internal ScanFile(ScanColumns columns, AddFile add)
    {
        _columns = columns;
        Add = add;
    }

    /// <summary>The file's add action, as the log gives it.</summary>
    public AddFile Add { get; }

    /// <summary>The object key of the file in the table's store: the log's path decoded and resolved under the table.</summary>
    /// <exception cref="DeltaProtocolException">The log names a file outside the table.</exception>
    public string Key => _key ??= DeltaPath.KeyOf(_columns.TablePath, Add.Path);

    /// <summary>The file's size in bytes.</summary>
    public long Size => Add.Size;

    /// <summary>Rows in the file from its statistics (deleted rows of its deletion vector included), when recorded.</summary>
    public long? NumRecords => Statistics?.NumRecords;

    /// <summary>The deletion vector of the file, if any: the rows it marks are not part of the table.</summary>
    public DeletionVectorDescriptor? DeletionVector => Add.DeletionVector;

    /// <summary>
    /// The partition values of the file by logical column name (case-insensitive), as text as the log gives them (null
    /// for a null value); every partition column of the table is present.
    /// </summary>
    public IReadOnlyDictionary<string, string?> PartitionValues => _partitionValues ??= ResolvePartitionValues();

    /// <summary>The statistics of the file, parsed; null when its writer recorded none.</summary>
    public FileStatistics? Statistics
    {
        get
        {
            var statistics = _statistics;
            if (statistics is null)
            {
                _statistics = statistics = (object?)FileStatistics.Parse(Add.Stats, _columns) ?? s_noStatistics;
            }

            return statistics as FileStatistics;
        }
    }

    /// <summary>The typed value of partition column <paramref name="column"/> (as rows give it: long, DateOnly, ...), or null.</summary>
    /// <exception cref="ArgumentException">The table is not partitioned by <paramref name="column"/>.</exception>
    /// <exception cref="DeltaProtocolException">The log's value is not of the column's type.</exception>
    public object? PartitionValue(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        foreach (var (field, _) in _columns.Partitions)
        {
            if (string.Equals(field.Name, column, StringComparison.OrdinalIgnoreCase))
            {
                return PartitionValueParser.Parse(PartitionValues[field.Name], field.Type, field.Name);
            }
        }

        throw new ArgumentException($"Table '{_columns.TablePath}' is not partitioned by '{column}'.", nameof(column));
    }

    private Dictionary<string, string?> ResolvePartitionValues()
    {
        var values = new Dictionary<string, string?>(_columns.Partitions.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (field, physical) in _columns.Partitions)
        {
            values[field.Name] = LookUp(Add.PartitionValues, physical) ?? (physical != field.Name ? LookUp(Add.PartitionValues, field.Name) : null);
        }

        return values;
    }

    private static string? LookUp(IReadOnlyDictionary<string, string?> values, string name)
    {
        if (values.TryGetValue(name, out var exact))
        {
            return exact;
        }

        foreach (var (k, v) in values)
        {
            if (string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
            {
                return v;
            }
        }

        return null;
    }
}
