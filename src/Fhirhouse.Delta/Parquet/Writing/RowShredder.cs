using Fhirhouse.Delta.Schema;
using Fhirhouse.Errors;

namespace Fhirhouse.Delta.Parquet.Writing;

/// <summary>Splits rows into per-leaf definition levels, repetition levels and values (the inverse of record assembly).</summary>
internal static class RowShredder
{
    /// <summary>The shred tree of a table schema: fields, with lists as list/element and maps as key_value/key/value.</summary>
    public static ShredNode Build(StructType schema) =>
        new() { Name = "schema", Type = schema, Optional = false, Def = 0, Children = [.. schema.Fields.Select(f => Build(f.Name, f.Type, f.Nullable, 0, 0))] };

    public static void AddRow(ShredNode root, object?[] row)
    {
        for (var i = 0; i < root.Children.Count; i++)
        {
            Write(root.Children[i], i < row.Length ? row[i] : null, 0);
        }
    }

    private static ShredNode Build(string name, DeltaType type, bool nullable, int parentDef, int parentRep)
    {
        var def = parentDef + (nullable ? 1 : 0);
        switch (type)
        {
            case StructType st:
                return new ShredNode
                {
                    Name = name, Type = type, Optional = nullable, Def = def,
                    Children = [.. st.Fields.Select(f => Build(f.Name, f.Type, f.Nullable, def, parentRep))],
                };
            case ArrayType at:
            {
                var element = Build("element", at.ElementType, at.ContainsNull, def + 1, parentRep + 1);
                var list = new ShredNode { Name = "list", Type = type, Optional = false, Repeated = true, Def = def + 1, RepeatedRep = parentRep + 1, Children = [element] };
                return new ShredNode { Name = name, Type = type, Optional = nullable, Def = def, RepeatedRep = parentRep + 1, Children = [list] };
            }

            case MapType mt:
            {
                var key = Build("key", mt.KeyType, false, def + 1, parentRep + 1);
                var value = Build("value", mt.ValueType, mt.ValueContainsNull, def + 1, parentRep + 1);
                var entries = new ShredNode { Name = "key_value", Type = type, Optional = false, Repeated = true, Def = def + 1, RepeatedRep = parentRep + 1, Children = [key, value] };
                return new ShredNode { Name = name, Type = type, Optional = nullable, Def = def, RepeatedRep = parentRep + 1, Children = [entries] };
            }

            default:
                return new ShredNode { Name = name, Type = type, Optional = nullable, Def = def };
        }
    }

    private static void Write(ShredNode node, object? value, int rep)
    {
        if (value is null)
        {
            if (!node.Optional)
            {
                throw new FhirhouseException(ErrorCodes.InvalidRow, ErrorKind.Data, $"Column '{node.Name}' is not nullable but a row holds null for it.");
            }

            WriteAbsent(node, node.Def - 1, rep);
            return;
        }

        switch (node.Type)
        {
            case StructType:
            {
                var values = value as object?[] ?? throw new ArgumentException($"Column '{node.Name}' is a struct: its value must be an object?[].");
                for (var i = 0; i < node.Children.Count; i++)
                {
                    Write(node.Children[i], i < values.Length ? values[i] : null, rep);
                }

                break;
            }

            case ArrayType:
            {
                var items = value as System.Collections.IList ?? throw new ArgumentException($"Column '{node.Name}' is an array: its value must be a list.");
                var element = node.Children[0].Children[0];
                if (items.Count == 0)
                {
                    WriteAbsent(element, node.Def, rep);
                    break;
                }

                for (var i = 0; i < items.Count; i++)
                {
                    Write(element, items[i], i == 0 ? rep : node.RepeatedRep);
                }

                break;
            }

            case MapType:
            {
                var entries = (value as System.Collections.IEnumerable ?? throw new ArgumentException($"Column '{node.Name}' is a map.")).Cast<object>()
                    .Select(ToPair).ToList();
                var kv = node.Children[0];
                if (entries.Count == 0)
                {
                    WriteAbsent(kv, node.Def, rep);
                    break;
                }

                for (var i = 0; i < entries.Count; i++)
                {
                    var r = i == 0 ? rep : node.RepeatedRep;
                    Write(kv.Children[0], entries[i].Key, r);
                    Write(kv.Children[1], entries[i].Value, r);
                }

                break;
            }

            default:
                node.DefLevels.Add((short)node.Def);
                node.RepLevels.Add((short)rep);
                node.Values.Add(value);
                break;
        }
    }

    private static void WriteAbsent(ShredNode node, int def, int rep)
    {
        foreach (var leaf in node.Leaves())
        {
            leaf.DefLevels.Add((short)def);
            leaf.RepLevels.Add((short)rep);
        }
    }

    private static KeyValuePair<object, object?> ToPair(object entry) => entry switch
    {
        KeyValuePair<object, object?> p => p,
        KeyValuePair<string, string?> s => new(s.Key, s.Value),
        KeyValuePair<string, object?> o => new(o.Key, o.Value),
        _ => throw new ArgumentException($"Map entries must be KeyValuePair values, not {entry.GetType()}."),
    };
}
