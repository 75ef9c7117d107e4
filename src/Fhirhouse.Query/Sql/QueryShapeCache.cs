using System.Diagnostics.CodeAnalysis;

namespace Fhirhouse.Query.Sql;

/// <summary>
/// The shapes of the statements run most recently, by their text after the time-travel rewrite: a shape is a function
/// of that text alone (DuckDB's parse tree of it), so a repeated statement skips the parse. Statements that do not
/// parse are never added. Least recently used shapes leave first once <c>capacity</c> are held. Not thread-safe.
/// </summary>
internal sealed class QueryShapeCache(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string Sql, QueryShape Shape)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Sql, QueryShape Shape)> _recency = new();

    public int Count => _entries.Count;

    public bool TryGet(string sql, [MaybeNullWhen(false)] out QueryShape shape)
    {
        if (_entries.TryGetValue(sql, out var node))
        {
            _recency.Remove(node);
            _recency.AddFirst(node);
            shape = node.Value.Shape;
            return true;
        }

        shape = null;
        return false;
    }

    public void Add(string sql, QueryShape shape)
    {
        if (_entries.TryGetValue(sql, out var known))
        {
            _recency.Remove(known);
        }

        _entries[sql] = _recency.AddFirst((sql, shape));
        while (_entries.Count > capacity)
        {
            var last = _recency.Last!;
            _recency.RemoveLast();
            _entries.Remove(last.Value.Sql);
        }
    }
}
