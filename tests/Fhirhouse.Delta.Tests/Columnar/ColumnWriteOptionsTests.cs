using System.Text.Json;
using Fhirhouse.Delta.Columnar;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;
using ParquetSharp;

namespace Fhirhouse.Delta.Tests.Columnar;

public sealed class ColumnWriteOptionsTests
{
    private static readonly StructType s_schema = new(
        new StructField("id", PrimitiveType.String, Nullable: false),
        new StructField("doc", PrimitiveType.String),
        new StructField("tags", new ArrayType(PrimitiveType.String)));

    private static readonly StructType s_table = new([new StructField("part", PrimitiveType.String), .. s_schema.Fields]);

    private static void Add(ColumnBatch batch, string id, string? doc)
    {
        batch[0].Append(id);
        if (doc is null)
        {
            batch[1].AppendNull();
        }
        else
        {
            batch[1].Append(doc);
        }

        batch[2].AppendNull();
        batch.EndRow();
    }

    [Fact]
    public async Task A_plain_column_is_written_without_dictionary_or_statistics_and_keeps_its_null_count()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var table = await DeltaTable.CreateAsync(store, "t", s_table, ["part"]);
        using var batch = new ColumnBatch(s_schema, new Dictionary<string, ColumnWriteOptions> { ["doc"] = ColumnWriteOptions.Plain });
        Add(batch, "a", "{\"x\":1}");
        Add(batch, "b", null);
        Add(batch, "c", "{\"x\":1}");

        var file = await table.WriteColumnsAsync(batch, new Dictionary<string, string?> { ["part"] = "p" });

        using var stats = JsonDocument.Parse(file.Stats!);
        Assert.Equal("a", stats.RootElement.GetProperty("minValues").GetProperty("id").GetString());
        Assert.False(stats.RootElement.GetProperty("minValues").TryGetProperty("doc", out _));
        Assert.False(stats.RootElement.GetProperty("maxValues").TryGetProperty("doc", out _));
        Assert.Equal(1, stats.RootElement.GetProperty("nullCount").GetProperty("doc").GetInt64());
        using var reader = new ParquetFileReader(Path.Combine(temp.Path, table.DataFileKey(file.RelativePath)));
        using var group = reader.RowGroup(0);
        using (var id = group.MetaData.GetColumnChunkMetaData(0))
        {
            Assert.NotNull(id.Statistics);
            Assert.Contains(Encoding.RleDictionary, id.Encodings);
        }

        using var doc = group.MetaData.GetColumnChunkMetaData(1);
        Assert.Null(doc.Statistics);
        Assert.DoesNotContain(Encoding.RleDictionary, doc.Encodings);
        Assert.DoesNotContain(Encoding.PlainDictionary, doc.Encodings);
    }

    [Fact]
    public void Options_for_a_column_that_is_not_a_plain_column_of_the_schema_are_refused_by_name()
    {
        var unknown = Assert.Throws<ArgumentException>(() => new ColumnBatch(s_schema, new Dictionary<string, ColumnWriteOptions> { ["nope"] = ColumnWriteOptions.Plain }));
        var array = Assert.Throws<ArgumentException>(() => new ColumnBatch(s_schema, new Dictionary<string, ColumnWriteOptions> { ["tags"] = ColumnWriteOptions.Plain }));

        Assert.Contains("'nope'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("'tags'", array.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batches_sharing_an_arena_keep_their_text_when_one_is_cleared_until_the_owner_resets_it()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var table = await DeltaTable.CreateAsync(store, "t", s_table, ["part"]);
        using var arena = new NativeArena();
        using var first = new ColumnBatch(s_schema, arena: arena);
        using var second = new ColumnBatch(s_schema, arena: arena);
        Add(first, "a", "first");
        Add(second, "b", "second");

        first.Clear();
        Add(first, "c", "again");
        var files = await table.WriteColumnsAsync([(first, new Dictionary<string, string?> { ["part"] = "1" }), (second, new Dictionary<string, string?> { ["part"] = "2" })]);
        await table.AppendFilesAsync(_ => Task.FromResult(files));

        var rows = (await TestTables.ReadAllAsync(table)).Select(r => $"{r[0]}:{r[1]}:{r[2]}").Order(StringComparer.Ordinal);
        Assert.Equal(["1:c:again", "2:b:second"], rows);
        first.Dispose();
        Assert.True(arena.Reserved > 0);
    }
}
