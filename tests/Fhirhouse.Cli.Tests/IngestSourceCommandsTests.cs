namespace Fhirhouse.Cli.Tests;

public sealed class IngestSourceCommandsTests
{
    [Theory]
    [InlineData("kafka", "--bootstrap-servers")]
    [InlineData("kafka", "--until-idle")]
    [InlineData("rest", "--history")]
    [InlineData("rest", "--since")]
    public async Task The_kafka_and_rest_sources_have_help(string source, string expected)
    {
        var (exit, output, _) = await CliRunner.RunAsync("ingest", source, "--help");
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kafka_without_brokers_exits_with_2()
    {
        var (exit, _, error) = await CliRunner.RunAsync("ingest", "kafka", "--topic", "fhir");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--bootstrap-servers", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--type", "patient", "'patient' is not a resource type")]
    [InlineData("--since", "yesterday", "--since 'yesterday'")]
    public async Task Rest_with_a_bad_value_exits_with_2_naming_it(string option, string value, string expected)
    {
        var args = option == "--type"
            ? new[] { "ingest", "rest", "http://127.0.0.1:1/fhir", "--type", value }
            : ["ingest", "rest", "http://127.0.0.1:1/fhir", "--type", "Patient", option, value];
        var (exit, _, error) = await CliRunner.RunAsync(args);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, exit);
    }
}
