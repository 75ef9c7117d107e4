using ParquetSharp;
using ParquetSharp.Schema;

namespace Fhirhouse.Delta.Parquet.Reading;

/// <summary>
/// A mirror of one node of a Parquet file schema, with its definition and repetition levels and, for leaves, the
/// column index in the file.
/// </summary>
internal sealed class FileNode
{
    private FileNode(Node node, int defLevel, int repLevel)
    {
        Name = node.Name;
        Repetition = node.Repetition;
        LogicalType = node.LogicalType;
        FieldId = node.FieldId;
        DefLevel = defLevel;
        RepLevel = repLevel;
    }

    public string Name { get; }

    public Repetition Repetition { get; }

    public LogicalType LogicalType { get; }

    public int FieldId { get; }

    /// <summary>The definition level at which this node's value is present (non-null).</summary>
    public int DefLevel { get; }

    public int RepLevel { get; }

    public IReadOnlyList<FileNode> Children { get; private init; } = [];

    public bool IsLeaf { get; private init; }

    public PhysicalType PhysicalType { get; private init; }

    public int TypeLength { get; private init; }

    public int LeafIndex { get; private init; } = -1;

    /// <summary>Mirrors the whole schema; leaves are numbered in depth-first order, as Parquet numbers columns.</summary>
    public static FileNode Mirror(GroupNode root)
    {
        var leafCounter = 0;
        return Build(root, 0, 0, ref leafCounter, isRoot: true);
    }

    private static FileNode Build(Node node, int parentDef, int parentRep, ref int leafCounter, bool isRoot = false)
    {
        var def = parentDef + (!isRoot && node.Repetition != Repetition.Required ? 1 : 0);
        var rep = parentRep + (!isRoot && node.Repetition == Repetition.Repeated ? 1 : 0);
        if (node is GroupNode group)
        {
            var children = new List<FileNode>(group.Fields.Length);
            foreach (var child in group.Fields)
            {
                children.Add(Build(child, def, rep, ref leafCounter));
            }

            return new FileNode(node, def, rep) { Children = children };
        }

        var primitive = (PrimitiveNode)node;
        return new FileNode(node, def, rep)
        {
            IsLeaf = true,
            PhysicalType = primitive.PhysicalType,
            TypeLength = primitive.TypeLength,
            LeafIndex = leafCounter++,
        };
    }
}
