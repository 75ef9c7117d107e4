using Fhirhouse.Delta.Schema;
using ParquetSharp;

namespace Fhirhouse.Delta.Parquet.Reading;

/// <summary>
/// Reads the rows of one Parquet file as Delta row values for a requested schema: fields are matched by name
/// (or by physical name / field id under column mapping), fields absent from the file read as null.
/// </summary>
internal static class ParquetFileReading
{
    private const int BatchSize = 8192;

    /// <summary>The rows of the file, one list per row group, so a large file never sits in memory whole.</summary>
    public static IEnumerable<List<object?[]>> ReadRowGroups(ParquetFileReader reader, StructType schema, ColumnMappingMode mode)
    {
        using var metadata = reader.FileMetaData;
        var descriptor = metadata.Schema;
        var root = FileNode.Mirror((ParquetSharp.Schema.GroupNode)descriptor.SchemaRoot);
        for (var g = 0; g < metadata.NumRowGroups; g++)
        {
            using var rowGroup = reader.RowGroup(g);
            var numRows = rowGroup.MetaData.NumRows;
            var rows = new List<object?[]>((int)numRows);
            var fields = new ColumnAssembler?[schema.Fields.Count];
            for (var i = 0; i < fields.Length; i++)
            {
                var child = FindChild(root, schema.Fields[i], mode);
                fields[i] = child is null ? null : Build(child, schema.Fields[i].Type, mode, rowGroup, asElement: false);
            }

            var assembler = new StructAssembler(0, false, fields, []);
            for (long r = 0; r < numRows; r++)
            {
                rows.Add(assembler.ReadRow());
            }

            yield return rows;
        }
    }

    private static FileNode? FindChild(FileNode group, StructField field, ColumnMappingMode mode)
    {
        if (field.FieldId(mode) is { } id)
        {
            foreach (var child in group.Children)
            {
                if (child.FieldId == id)
                {
                    return child;
                }
            }
        }

        var name = field.PhysicalName(mode);
        return group.Children.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal))
            ?? group.Children.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    private static ColumnAssembler Build(FileNode node, DeltaType type, ColumnMappingMode mode, RowGroupReader rowGroup, bool asElement)
    {
        var nullable = !asElement && node.Repetition == Repetition.Optional;
        switch (type)
        {
            case StructType st:
            {
                if (node.IsLeaf)
                {
                    throw new InvalidDataException($"Parquet column '{node.Name}' is a primitive but the Delta schema says {type}.");
                }

                var fields = new ColumnAssembler?[st.Fields.Count];
                var leaves = new List<LeafCursor>();
                for (var i = 0; i < fields.Length; i++)
                {
                    var child = FindChild(node, st.Fields[i], mode);
                    if (child is not null)
                    {
                        fields[i] = Build(child, st.Fields[i].Type, mode, rowGroup, asElement: false);
                        leaves.AddRange(LeavesOf(fields[i]!));
                    }
                }

                return new StructAssembler(node.DefLevel, nullable, fields, leaves);
            }

            case ArrayType at:
            {
                if (node.Repetition == Repetition.Repeated)
                {
                    var self = Build(node, at.ElementType, mode, rowGroup, asElement: true);
                    return new ListAssembler(node.DefLevel - 1, false, node.DefLevel, node.RepLevel, self, LeavesOf(self));
                }

                var repeated = node.Children.Count == 1 && node.Children[0].Repetition == Repetition.Repeated
                    ? node.Children[0]
                    : throw new InvalidDataException($"Parquet column '{node.Name}' is not a list but the Delta schema says {type}.");
                var elementNode = repeated.IsLeaf || repeated.Children.Count > 1 || repeated.Name == "array" || repeated.Name == node.Name + "_tuple"
                    ? repeated
                    : repeated.Children[0];
                var element = Build(elementNode, at.ElementType, mode, rowGroup, asElement: elementNode == repeated);
                return new ListAssembler(node.DefLevel, nullable, repeated.DefLevel, repeated.RepLevel, element, LeavesOf(element));
            }

            case MapType mt:
            {
                var entries = node.Children.Count == 1 && node.Children[0].Repetition == Repetition.Repeated && node.Children[0].Children.Count >= 1
                    ? node.Children[0]
                    : throw new InvalidDataException($"Parquet column '{node.Name}' is not a map but the Delta schema says {type}.");
                var key = Build(entries.Children[0], mt.KeyType, mode, rowGroup, asElement: false);
                var value = entries.Children.Count > 1 ? Build(entries.Children[1], mt.ValueType, mode, rowGroup, asElement: false) : null;
                var leaves = new List<LeafCursor>(LeavesOf(key));
                if (value is not null)
                {
                    leaves.AddRange(LeavesOf(value));
                }

                return new MapAssembler(node.DefLevel, nullable, entries.DefLevel, entries.RepLevel, key, value, leaves);
            }

            default:
                if (!node.IsLeaf)
                {
                    throw new InvalidDataException($"Parquet column '{node.Name}' is a group but the Delta schema says {type}.");
                }

                return new LeafAssembler(LoadLeaf(node, type, rowGroup));
        }
    }

    private static IReadOnlyList<LeafCursor> LeavesOf(ColumnAssembler assembler) => assembler.AllLeaves;

    private static LeafCursor LoadLeaf(FileNode leaf, DeltaType type, RowGroupReader rowGroup)
    {
        using var column = rowGroup.Column(leaf.LeafIndex);
        using var chunk = rowGroup.MetaData.GetColumnChunkMetaData(leaf.LeafIndex);
        var levels = (int)Math.Min(chunk.NumValues, int.MaxValue);
        var logical = leaf.LogicalType;
        return leaf.PhysicalType switch
        {
            PhysicalType.Boolean => ReadLevels((ColumnReader<bool>)column, leaf, levels, ValueConverter.ForBoolean(type)),
            PhysicalType.Int32 => ReadLevels((ColumnReader<int>)column, leaf, levels, ValueConverter.ForInt32(type, logical)),
            PhysicalType.Int64 => ReadLevels((ColumnReader<long>)column, leaf, levels, ValueConverter.ForInt64(type, logical)),
            PhysicalType.Int96 => ReadLevels((ColumnReader<Int96>)column, leaf, levels, ValueConverter.ForInt96(type)),
            PhysicalType.Float => ReadLevels((ColumnReader<float>)column, leaf, levels, ValueConverter.ForFloat(type)),
            PhysicalType.Double => ReadLevels((ColumnReader<double>)column, leaf, levels, ValueConverter.ForDouble(type)),
            PhysicalType.ByteArray => ReadLevels((ColumnReader<ByteArray>)column, leaf, levels, ValueConverter.ForByteArray(type, logical)),
            PhysicalType.FixedLenByteArray => ReadLevels((ColumnReader<FixedLenByteArray>)column, leaf, levels,
                ValueConverter.ForFixedLenByteArray(type, logical, leaf.TypeLength)),
            _ => throw new InvalidDataException($"Unsupported Parquet physical type {leaf.PhysicalType} in column '{leaf.Name}'."),
        };
    }

    private static LeafCursor ReadLevels<T>(ColumnReader<T> reader, FileNode leaf, int expectedLevels, Func<T, object> convert)
        where T : unmanaged
    {
        var maxDef = leaf.DefLevel;
        var maxRep = leaf.RepLevel;
        var batch = Math.Max(1, Math.Min(BatchSize, expectedLevels));
        var defBatch = new short[batch];
        var repBatch = new short[batch];
        var valueBatch = new T[batch];
        var def = new short[expectedLevels];
        var rep = new short[expectedLevels];
        var values = new object?[expectedLevels];
        var count = 0;
        while (reader.HasNext)
        {
            var levels = (int)reader.ReadBatch(batch, defBatch, repBatch, valueBatch, out var valuesRead);
            if (count + levels > def.Length)
            {
                var size = Math.Max(count + levels, def.Length * 2);
                Array.Resize(ref def, size);
                Array.Resize(ref rep, size);
                Array.Resize(ref values, size);
            }

            var v = 0;
            for (var i = 0; i < levels; i++, count++)
            {
                var d = maxDef == 0 ? (short)0 : defBatch[i];
                def[count] = d;
                rep[count] = maxRep == 0 ? (short)0 : repBatch[i];
                if (d == maxDef)
                {
                    values[count] = convert(valueBatch[v++]);
                }
            }

            if (v != valuesRead)
            {
                throw new InvalidDataException($"Parquet column '{leaf.Name}': {valuesRead} values for {v} defined levels.");
            }
        }

        return new LeafCursor(def, rep, values, count, maxDef);
    }
}
