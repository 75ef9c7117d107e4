using System.Text;
using Fhirhouse.Cli.Commands;
using Fhirhouse.Storage;
using Fhirhouse.Synthetic;
using Fhirhouse.Testing;

namespace Fhirhouse.Cli.Tests;

/// <summary>The SQL shell's history lives in the lake, encrypted, and goes when an erasure finds the patient in it.</summary>
public sealed class ShellHistoryTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string LakeFolder => Path.Combine(_folder.Path, "lake");

    private string Keyring => Path.Combine(_folder.Path, "keys", "keyring.json");

    private string[] Lake => ["--lake", LakeFolder, "--keyring", Keyring];

    [Fact]
    public async Task History_is_stored_encrypted_in_the_lake_round_trips_any_statement_and_is_cleared_by_forget()
    {
        var hospital = Path.Combine(_folder.Path, "hospital");
        var generated = new HospitalGenerator(new HospitalOptions { Patients = 3, Seed = 5 }).Generate(hospital);
        var ingest = await CliRunner.RunAsync(["ingest", "files", .. generated.Files.Select(f => Path.Combine(hospital, f)), .. Lake]);
        Assert.True(ingest.Exit == 0, ingest.Error);
        var patient = File.ReadLines(Path.Combine(hospital, "Patient.000.ndjson")).First().Split("\"id\":\"")[1].Split('"')[0];

        using var output = new StringWriter();
        var context = new CliContext(output, output, interactive: false, TimeProvider.System);
        using var store = await LakeOptionSet.OpenAsync(LakeFolder, Keyring, context, CancellationToken.None);
        var history = ShellHistory.Of(store.Objects, "dr-house");
        string[] statements = ["SELECT 1;", $"SELECT *\nFROM patient\nWHERE id = '{patient}';", @"SELECT 'back\slash\n' AS s;"];
        await history.SaveAsync(statements, CancellationToken.None);

        Assert.Equal(statements, await ShellHistory.Of(store.Objects, "dr-house").LoadAsync(CancellationToken.None));
        Assert.Empty(await ShellHistory.Of(store.Objects, "someone-else").LoadAsync(CancellationToken.None));
        var onDisk = await File.ReadAllBytesAsync(Path.Combine(LakeFolder, history.Key));
        Assert.Equal(-1, onDisk.AsSpan().IndexOf(Encoding.UTF8.GetBytes(patient)));
        Assert.Equal(-1, onDisk.AsSpan().IndexOf("FROM patient"u8));

        var many = Enumerable.Range(0, ShellHistory.Keep + 5).Select(i => $"SELECT {i};").ToList();
        await history.SaveAsync(many, CancellationToken.None);
        var kept = await history.LoadAsync(CancellationToken.None);
        Assert.Equal(ShellHistory.Keep, kept.Count);
        Assert.Equal("SELECT 5;", kept[0]);

        await history.SaveAsync(statements, CancellationToken.None);
        var other = ShellHistory.Of(store.Objects, "analyst");
        await other.SaveAsync([$"SELECT * FROM patient WHERE id = '{patient}'"], CancellationToken.None);
        var forget = await CliRunner.RunAsync(["forget", "--patient", patient, "--role", "admin", "--purpose", "operations", "--json", .. Lake]);
        Assert.True(forget.Exit == 0, forget.Error);

        // The statements naming the patient are gone from every user's history; the others stay.
        Assert.Equal([statements[0], statements[2]], await history.LoadAsync(CancellationToken.None));
        Assert.False(await store.Objects.ExistsAsync(other.Key));
        Assert.Contains(history.Key, forget.Out, StringComparison.Ordinal);
    }
}
