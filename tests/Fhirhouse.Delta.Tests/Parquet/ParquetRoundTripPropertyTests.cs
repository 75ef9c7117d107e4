using Fhirhouse.Delta.Parquet;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Delta.Tests.Golden;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;
using FsCheck.Xunit;

namespace Fhirhouse.Delta.Tests.Parquet;

/// <summary>Shredding then record assembly is the identity for nested rows with nulls and empties at every level.</summary>
public sealed class ParquetRoundTripPropertyTests
{
    private static readonly StructType s_schema = new(
        new StructField("id", PrimitiveType.Long, Nullable: false),
        new StructField("tags", new ArrayType(PrimitiveType.String)),
        new StructField("matrix", new ArrayType(new ArrayType(PrimitiveType.Integer))),
        new StructField("person", new StructType(
            new StructField("name", PrimitiveType.String),
            new StructField("codes", new ArrayType(new StructType(new StructField("system", PrimitiveType.String), new StructField("value", PrimitiveType.Integer)))))),
        new StructField("attrs", new MapType(PrimitiveType.String, new StructType(new StructField("n", PrimitiveType.Long)))));

    private static object?[] Row(long id, Random random)
    {
        object? Maybe(Func<object?> make) => random.Next(4) == 0 ? null : make();
        object?[] List(Func<object?> item) => Enumerable.Range(0, random.Next(4)).Select(_ => item()).ToArray();
        return
        [
            id,
            Maybe(() => List(() => Maybe(() => "t" + random.Next(100)))),
            Maybe(() => List(() => Maybe(() => List(() => Maybe(() => (object)random.Next()))))),
            Maybe(() => new object?[]
            {
                Maybe(() => "n" + random.Next(10)),
                Maybe(() => List(() => Maybe(() => new object?[] { Maybe(() => "s"), Maybe(() => (object)random.Next(9)) }))),
            }),
            Maybe(() => Enumerable.Range(0, random.Next(3)).Select(i => new KeyValuePair<object, object?>("k" + i, Maybe(() => new object?[] { Maybe(() => (object)(long)i) }))).ToArray()),
        ];
    }

    [Property(MaxTest = 40)]
    public bool Nested_rows_survive_a_parquet_round_trip(int seed, byte count)
    {
        var random = new Random(seed);
        var rows = Enumerable.Range(0, count).Select(i => Row(i, random)).ToList();
        using var temp = new TempFolder();
        var handler = new ParquetSharpHandler(new LocalObjectStore(temp.Path));
        handler.WriteAsync("f.parquet", s_schema, rows, default).GetAwaiter().GetResult();
        var read = handler.ReadAsync("f.parquet", s_schema, ColumnMappingMode.None, default).GetAwaiter().GetResult();
        return rows.Select(RowCanon.Row).SequenceEqual(read.Select(RowCanon.Row));
    }

    [Fact]
    public async Task DuckDB_reads_our_nested_parquet_with_the_same_shape()
    {
        var random = new Random(7);
        var rows = Enumerable.Range(0, 500).Select(i => Row(i, random)).ToList();
        using var temp = new TempFolder();
        var handler = new ParquetSharpHandler(new LocalObjectStore(temp.Path));
        await handler.WriteAsync("f.parquet", s_schema, rows, default);

        static int Len(object? list) => list is object?[] items ? items.Length : 0;
        var ours = string.Join(",",
            rows.Count,
            rows.Sum(r => Len(r[1])),
            rows.Sum(r => r[1] is object?[] t ? t.Count(x => x is not null) : 0),
            rows.Sum(r => r[2] is object?[] m ? m.Sum(Len) : 0),
            rows.Count(r => r[3] is not null),
            rows.Sum(r => r[3] is object?[] p ? Len(p[1]) : 0),
            rows.Sum(r => r[4] is KeyValuePair<object, object?>[] kv ? kv.Length : 0));

        using var connection = new DuckDB.NET.Data.DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT concat_ws(',', count(*), sum(coalesce(len(tags), 0)), sum(coalesce(len(list_filter(tags, x -> x IS NOT NULL)), 0)),
                   sum(coalesce(list_sum(list_transform(matrix, m -> coalesce(len(m), 0))), 0)), count(person),
                   sum(coalesce(len(person.codes), 0)), sum(coalesce(cardinality(attrs), 0)))
            FROM read_parquet('{Path.Combine(temp.Path, "f.parquet")}')
            """;
        Assert.Equal(ours, (string)command.ExecuteScalar()!);
    }
}
