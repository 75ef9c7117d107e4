using Fhirhouse.Delta.Log;

namespace Fhirhouse.Delta.Tests.Log;

public sealed class LogSegmentTests
{
    private static IEnumerable<LogFile> Files(params string[] names) =>
        names.Select(n => LogFile.TryParse("t/_delta_log/" + n, 1, default)!);

    private static string V(long version, string suffix) => version.ToString("D20") + suffix;

    [Fact]
    public void Replay_with_gap_in_versions_fails_with_not_contiguous()
    {
        var e = Assert.Throws<DeltaProtocolException>(() => LogSegment.Build("t", Files(V(0, ".json"), V(1, ".json"), V(3, ".json")), null));
        Assert.Contains("not contiguous", e.Message, StringComparison.Ordinal);
        Assert.Contains("commit 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_newest_complete_checkpoint_is_chosen_and_an_incomplete_multi_part_one_is_skipped()
    {
        var segment = LogSegment.Build("t", Files(
            V(0, ".json"), V(1, ".json"), V(2, ".json"), V(2, ".checkpoint.parquet"), V(3, ".json"), V(4, ".json"),
            V(4, ".checkpoint.0000000001.0000000002.parquet"), V(5, ".json")), null);

        Assert.Equal(5, segment.Version);
        Assert.Equal(2, Assert.Single(segment.Checkpoint).Version);
        Assert.Equal([3L, 4L, 5L], segment.Commits.Select(c => c.Version));
    }

    [Fact]
    public void A_complete_multi_part_checkpoint_is_used_with_all_its_parts_in_order()
    {
        var segment = LogSegment.Build("t", Files(
            V(3, ".checkpoint.0000000002.0000000002.parquet"), V(3, ".checkpoint.0000000001.0000000002.parquet"), V(4, ".json")), null);

        Assert.Equal([1, 2], segment.Checkpoint.Select(c => c.Part));
        Assert.Equal([4L], segment.Commits.Select(c => c.Version));
    }

    [Fact]
    public void Time_travel_before_the_checkpoint_replays_commits_from_zero()
    {
        var segment = LogSegment.Build("t", Files(V(0, ".json"), V(1, ".json"), V(2, ".json"), V(2, ".checkpoint.parquet"), V(3, ".json")), 1);

        Assert.Empty(segment.Checkpoint);
        Assert.Equal([0L, 1L], segment.Commits.Select(c => c.Version));
    }

    [Fact]
    public void A_version_beyond_the_latest_and_an_empty_log_fail_by_name()
    {
        Assert.Throws<DeltaTableNotFoundException>(() => LogSegment.Build("t", Files(), null));
        var e = Assert.Throws<DeltaProtocolException>(() => LogSegment.Build("t", Files(V(0, ".json")), 7));
        Assert.Contains("version 7 does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_files_of_the_log_are_not_log_files()
    {
        Assert.Null(LogFile.TryParse("t/_delta_log/_last_checkpoint", 1, default));
        Assert.Null(LogFile.TryParse("t/_delta_log/00000000000000000001.crc", 1, default));
        Assert.Null(LogFile.TryParse("t/_delta_log/00000000000000000000.00000000000000000003.compacted.json", 1, default));
        Assert.Equal(LogFileKind.V2Checkpoint, LogFile.TryParse("t/_delta_log/" + V(2, ".checkpoint.6374b053-df23-479b-b2cf-c9c550132b49.json"), 1, default)!.Kind);
    }
}
