using Fhirhouse.Delta.Parquet;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Delta.Tests.Parquet;

public sealed class NativeParquetFileTests
{
    [Fact]
    public async Task A_data_file_that_is_not_Parquet_is_named_when_the_table_is_read()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var table = await DeltaTable.CreateAsync(store, "people", TestTables.People, options: TestTables.Options(TestTables.Clock()));
        await table.AppendAsync(Enumerable.Range(1, 3).Select(i => TestTables.Person(i)));
        var file = Uri.UnescapeDataString(Assert.Single((await table.GetSnapshotAsync()).Files).Path);
        using (var garbage = new MemoryStream("not parquet at all"u8.ToArray()))
        {
            await store.PutAsync(table.DataFileKey(file), garbage);
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => TestTables.ReadAllAsync(table));

        Assert.Contains(table.DataFileKey(file), error.Message, StringComparison.Ordinal);
        Assert.Contains("is not a readable Parquet file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_written_through_native_memory_reads_back_through_native_memory()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var table = await DeltaTable.CreateAsync(store, "people", TestTables.People, options: TestTables.Options(TestTables.Clock()));
        await table.AppendAsync(Enumerable.Range(1, 2000).Select(i => TestTables.Person(i)));
        var file = Assert.Single((await table.GetSnapshotAsync()).Files);

        using var parquet = await NativeParquetFile.OpenAsync(store, table.DataFileKey(Uri.UnescapeDataString(file.Path)), CancellationToken.None);
        using var metadata = parquet.Reader.FileMetaData;

        Assert.Equal(2000, metadata.NumRows);
        Assert.Equal(file.Size, (await store.GetInfoAsync(table.DataFileKey(Uri.UnescapeDataString(file.Path))))?.Size);
    }

    [Fact]
    public async Task A_disposed_file_throws_object_disposed_and_a_second_dispose_is_harmless()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var table = await DeltaTable.CreateAsync(store, "people", TestTables.People, options: TestTables.Options(TestTables.Clock()));
        await table.AppendAsync(Enumerable.Range(1, 3).Select(i => TestTables.Person(i)));
        var file = Assert.Single((await table.GetSnapshotAsync()).Files);
        var parquet = await NativeParquetFile.OpenAsync(store, table.DataFileKey(Uri.UnescapeDataString(file.Path)), CancellationToken.None);
        using (var metadata = parquet.Reader.FileMetaData)
        {
            Assert.Equal(3, metadata.NumRows);
        }

        parquet.Dispose();
        parquet.Dispose();

        Assert.Throws<ObjectDisposedException>(() => parquet.Reader);
    }
}
