using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Fhirhouse.Delta;
using Fhirhouse.Errors;
using Fhirhouse.Fhir.Resources;
using Fhirhouse.Fhir.Views;
using Fhirhouse.Governance.Policies;
using Fhirhouse.Ingest.Sources.Bulk;
using Fhirhouse.Query;
using Fhirhouse.Query.Access;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Keys;
using Fhirhouse.Storage.Keys.Keyring;
using Fhirhouse.Testing;

namespace Fhirhouse.Cli.Tests;

/// <summary>Every exception a command can end with becomes one exit code and one line in FhirhouseCli, the stack trace only with --verbose.</summary>
public sealed class ErrorMappingTests : IDisposable
{
    private static readonly Dictionary<string, Func<Exception>> s_failures = new(StringComparer.Ordinal)
    {
        ["path-not-found"] = () => FhirhouseException.PathNotFound("/nowhere/lake", "lake folder (--lake)"),
        ["table-not-found"] = () => new DeltaTableNotFoundException("tables/nothing"),
        ["policy"] = () => new PolicyException("policies/default.json", "r3", "unknown mask 'scramble' on column 'family'."),
        ["view-definition"] = () => new ViewDefinitionException("select[0].column[1].path", "unexpected character '#'"),
        ["keyring-missing"] = () => new KeyringAccessException("/k/keyring.json", "no keyring file there", kind: ErrorKind.Usage),
        ["argument"] = () => new ArgumentException("--since 'yesterday' is not an instant."),
        ["file-not-found"] = () => new FileNotFoundException("Could not find file '/in/missing.ndjson'.", "/in/missing.ndjson"),
        ["directory-not-found"] = () => new DirectoryNotFoundException("Could not find a part of the path '/in/folder'."),
        ["tampered"] = () => new TamperedObjectException("tables/fhir_resources/part-0.parquet", "segment 3 does not authenticate"),
        ["object-not-found"] = () => new ObjectNotFoundException("raw/ab/cd"),
        ["key-unavailable"] = () => new KeyUnavailableException("lake", 2, "destroyed on 2026-01-01"),
        ["commit-conflict"] = () => new CommitConflictException(7, null, "a concurrent DELETE removed a file this commit read"),
        ["protocol"] = () => new DeltaProtocolException("tables/fhir_resources", "a gap in versions after 3"),
        ["unsupported-feature"] = () => new UnsupportedTableFeatureException("columnMapping", "tables/x"),
        ["invalid-resource"] = () => new InvalidResourceException("Patient has no id", "in/p.ndjson", 4),
        ["bulk-export"] = () => new BulkExportException("http://h/fhir/$export", HttpStatusCode.ServiceUnavailable, "still failing after 3 retries."),
        ["access-denied"] = () => new AccessDeniedException("Access denied: no rule allows table 'fhir_resources' to role 'analyst' for purpose 'operations'."),
        ["query"] = () => new QueryException("Conversion Error: Could not convert string 'Smith' to INT32") { MessageWithoutValues = "Conversion Error: Could not convert string '…' to INT32" },
        ["io"] = () => new IOException("fsync('/lake/tables') failed"),
        ["unauthorized"] = () => new UnauthorizedAccessException("Access to the path '/lake/raw' is denied."),
        ["http"] = () => new HttpRequestException("Connection refused (127.0.0.1:1)"),
        ["json"] = () => new JsonException("'S' is an invalid start of a value.", "$.name", 2, 17),
        ["parquet"] = () => new ParquetSharp.ParquetException("IOError", "Parquet magic bytes not found in footer"),
        ["crypto"] = () => new CryptographicException("The computed authentication tag did not match the input authentication tag."),
        ["invalid-data"] = () => new InvalidDataException("line 12 is longer than 1048576 bytes"),
        ["invalid-operation"] = () => new InvalidOperationException("The lake is encrypted but no key provider was given."),
        ["aggregate"] = () => new AggregateException(new IOException("disk full while writing tables/x/part-1.parquet")),
        ["cancelled"] = () => new OperationCanceledException(),
        ["unexpected"] = () => new FormatException("The input string 'Jane Doe' was not in a correct format."),
        ["null-argument"] = () => new ArgumentNullException("rows"),
    };

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("path-not-found", ExitCodes.Usage, "error: The lake folder (--lake) /nowhere/lake does not exist. [usage.path_not_found]")]
    [InlineData("table-not-found", ExitCodes.Usage, "error: No Delta table at 'tables/nothing'")]
    [InlineData("policy", ExitCodes.Usage, "error: Policy file policies/default.json, rule 'r3': unknown mask 'scramble' on column 'family'. [governance.invalid_policy]")]
    [InlineData("view-definition", ExitCodes.Usage, "error: select[0].column[1].path: unexpected character '#' [fhir.invalid_view]")]
    [InlineData("keyring-missing", ExitCodes.Usage, "error: Keyring '/k/keyring.json': no keyring file there [storage.keyring_access]")]
    [InlineData("argument", ExitCodes.Usage, "error: --since 'yesterday' is not an instant.")]
    [InlineData("file-not-found", ExitCodes.Usage, "error: Could not find file '/in/missing.ndjson'.")]
    [InlineData("directory-not-found", ExitCodes.Usage, "error: Could not find a part of the path '/in/folder'.")]
    [InlineData("tampered", ExitCodes.Failure, "error: Object 'tables/fhir_resources/part-0.parquet' failed authentication and was not read: segment 3 does not authenticate. [storage.tampered_object]")]
    [InlineData("object-not-found", ExitCodes.Failure, "error: Object not found: 'raw/ab/cd'. [storage.object_not_found]")]
    [InlineData("key-unavailable", ExitCodes.Failure, "error: Key 'lake' version 2 is unavailable: destroyed on 2026-01-01. [storage.key_unavailable]")]
    [InlineData("commit-conflict", ExitCodes.Failure, "[delta.commit_conflict, transient: try again]")]
    [InlineData("protocol", ExitCodes.Failure, "error: tables/fhir_resources: a gap in versions after 3 [delta.protocol_violation]")]
    [InlineData("unsupported-feature", ExitCodes.Failure, "'columnMapping'. [delta.unsupported_feature]")]
    [InlineData("invalid-resource", ExitCodes.Failure, "error: in/p.ndjson, line 4: Patient has no id [fhir.invalid_resource]")]
    [InlineData("bulk-export", ExitCodes.Failure, "HTTP 503: still failing after 3 retries. [ingest.bulk_export_failed, transient: try again]")]
    [InlineData("access-denied", ExitCodes.Failure, "to role 'analyst' for purpose 'operations'. [query.access_denied]")]
    [InlineData("query", ExitCodes.Failure, "error: Conversion Error: Could not convert string '…' to INT32 [query.failed]")]
    [InlineData("io", ExitCodes.Failure, "error: fsync('/lake/tables') failed")]
    [InlineData("unauthorized", ExitCodes.Failure, "error: access denied by the system: Access to the path '/lake/raw' is denied.")]
    [InlineData("http", ExitCodes.Failure, "error: HTTP request failed: Connection refused (127.0.0.1:1)")]
    [InlineData("json", ExitCodes.Failure, "error: malformed JSON at line 3, byte 18 ($.name)")]
    [InlineData("parquet", ExitCodes.Failure, "error: unreadable Parquet data: ")]
    [InlineData("crypto", ExitCodes.Failure, "error: cryptographic failure: The computed authentication tag did not match")]
    [InlineData("invalid-data", ExitCodes.Failure, "error: line 12 is longer than 1048576 bytes")]
    [InlineData("invalid-operation", ExitCodes.Failure, "error: The lake is encrypted but no key provider was given.")]
    [InlineData("aggregate", ExitCodes.Failure, "error: disk full while writing tables/x/part-1.parquet")]
    [InlineData("cancelled", ExitCodes.Failure, "cancelled.")]
    [InlineData("unexpected", ExitCodes.Failure, "error: unexpected System.FormatException (a bug: run again with --verbose")]
    [InlineData("null-argument", ExitCodes.Failure, "error: unexpected System.ArgumentNullException")]
    public async Task Each_failure_is_one_line_and_its_exit_code_and_the_stack_trace_only_with_verbose(string failure, int exit, string expected)
    {
        var quiet = await ThrowAsync(failure);
        Assert.Equal(exit, quiet.Exit);
        var line = Assert.Single(Lines(quiet.Error));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", quiet.Error, StringComparison.Ordinal);

        var verbose = await ThrowAsync(failure, "--verbose");
        Assert.Equal(exit, verbose.Exit);
        Assert.Equal(line, Lines(verbose.Error)[0]);
        Assert.Contains(nameof(ThrowAsync), verbose.Error, StringComparison.Ordinal);
        Assert.Contains("   at ", verbose.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_quoting_data_is_not_repeated_without_verbose()
    {
        var query = await ThrowAsync("query");
        Assert.DoesNotContain("Smith", query.Error, StringComparison.Ordinal);
        var unexpected = await ThrowAsync("unexpected");
        Assert.DoesNotContain("Jane", unexpected.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lake_folder_that_does_not_exist_is_bad_usage_naming_it_and_creates_nothing()
    {
        var lake = Path.Combine(_folder.Path, "no-such-lake");
        var keyring = Path.Combine(_folder.Path, "keys", "keyring.json");
        foreach (var args in new[] { new[] { "sql", "SELECT 1", "--role", "admin", "--purpose", "operations" }, ["lake", "verify"], ["table", "history", "fhir_resources"], ["views", "list"] })
        {
            var (exit, _, error) = await CliRunner.RunAsync([.. args, "--lake", lake, "--keyring", keyring]);
            Assert.Equal(ExitCodes.Usage, exit);
            var line = Assert.Single(Lines(error));
            Assert.Equal($"error: The lake folder (--lake) {lake} does not exist. [usage.path_not_found]", line);
        }

        Assert.False(Directory.Exists(lake));
        Assert.False(File.Exists(keyring));
    }

    [Fact]
    public async Task A_tampered_data_file_fails_the_query_with_1_in_one_line_naming_the_object()
    {
        var lake = Path.Combine(_folder.Path, "lake");
        string[] at = ["--lake", lake, "--keyring", Path.Combine(_folder.Path, "keys", "keyring.json")];
        var input = Path.Combine(_folder.Path, "p.ndjson");
        await File.WriteAllTextAsync(input, "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n");
        CliRunner.AssertOk(await CliRunner.RunAsync(["ingest", "files", input, .. at]));
        var victim = Directory.EnumerateFiles(Path.Combine(lake, "tables", "fhir_resources"), "*.parquet", SearchOption.AllDirectories).First(f => !f.Contains("_delta_log", StringComparison.Ordinal));
        var bytes = await File.ReadAllBytesAsync(victim);
        for (var i = 64; i < bytes.Length; i += 512)
        {
            bytes[i] ^= 0x01;
        }

        await File.WriteAllBytesAsync(victim, bytes);

        var (exit, _, error) = await CliRunner.RunAsync(["sql", "SELECT * FROM fhir_resources", "--role", "admin", "--purpose", "operations", .. at]);

        Assert.Equal(ExitCodes.Failure, exit);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(victim), line, StringComparison.Ordinal);
        Assert.EndsWith("[storage.tampered_object]", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_input_file_is_bad_usage_naming_it()
    {
        var missing = Path.Combine(_folder.Path, "missing.ndjson");
        var (exit, _, error) = await CliRunner.RunAsync("ingest", "files", missing, "--lake", Path.Combine(_folder.Path, "lake"), "--keyring", Path.Combine(_folder.Path, "keys", "keyring.json"));
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains(missing, Assert.Single(Lines(error)), StringComparison.Ordinal);
    }

    private static string[] Lines(string error) =>
        error.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("keys: ", StringComparison.Ordinal)).ToArray();

    private static async Task<(int Exit, string Error)> ThrowAsync(string failure, params string[] options)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(output, error, interactive: false, TimeProvider.System);
        var root = FhirhouseCli.Build(context);
        var command = new Command("fail");
        command.SetAction(_ => Fail(s_failures[failure]()));
        root.Subcommands.Add(command);
        var exit = await FhirhouseCli.RunAsync(root, ["fail", .. options], context);
        return (exit, error.ToString());
    }

    private static int Fail(Exception failure) => throw failure;
}
