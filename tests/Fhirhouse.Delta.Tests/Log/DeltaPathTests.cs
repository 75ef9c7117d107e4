using Fhirhouse.Delta.Log;

namespace Fhirhouse.Delta.Tests.Log;

public sealed class DeltaPathTests
{
    [Theory]
    [InlineData("a%20b/c.parquet", "t/a b/c.parquet")]
    [InlineData("day=2024-01-01/city=a%252Fb/p.parquet", "t/day=2024-01-01/city=a%2Fb/p.parquet")]
    [InlineData("file:/data/lake/t/x.parquet", "t/x.parquet")]
    [InlineData("file:///data/lake/t/sub/x.parquet", "t/sub/x.parquet")]
    public void Log_paths_map_to_keys_under_the_table(string path, string key) =>
        Assert.Equal(key, DeltaPath.KeyOf("t", path));

    [Theory]
    [InlineData("../other/x.parquet")]
    [InlineData("/elsewhere/x.parquet")]
    [InlineData("file:/elsewhere/x.parquet")]
    [InlineData("")]
    [InlineData("a%5Cb.parquet")]
    [InlineData("a%00b.parquet")]
    public void Paths_outside_the_table_fail_by_name(string path)
    {
        var e = Assert.Throws<DeltaProtocolException>(() => DeltaPath.KeyOf("t", path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_uris_and_plain_paths_are_one_file_in_replay() =>
        Assert.Equal(DeltaPath.Canonical("/a/b c"), DeltaPath.Canonical("file:///a/b%20c"));
}
