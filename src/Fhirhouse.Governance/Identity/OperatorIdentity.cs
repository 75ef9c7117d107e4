using System.Text.Json;

namespace Fhirhouse.Governance.Identity;

/// <summary>
/// The command line's identity: <c>--role</c>/<c>--purpose</c> (and <c>--user</c>) when given, else the operator's
/// configuration file (<c>$FHIRHOUSE_OPERATOR</c>, else <c>~/.fhirhouse/operator.json</c>):
/// <c>{ "user": "...", "role": "...", "purpose": "..." }</c>.
/// </summary>
public static class OperatorIdentity
{
    /// <summary>The configuration file read when options leave something out.</summary>
    public static string DefaultFile() =>
        Environment.GetEnvironmentVariable("FHIRHOUSE_OPERATOR") is { Length: > 0 } path
            ? path
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".fhirhouse", "operator.json");

    /// <summary>
    /// The identity from the options, completed from <paramref name="configurationFile"/>; throws <see cref="ArgumentException"/>
    /// saying how to set it when no role or purpose is known, and <see cref="InvalidDataException"/> for a malformed file.
    /// </summary>
    public static AccessIdentity Resolve(string? user, string? role, string? purpose, string configurationFile)
    {
        ArgumentNullException.ThrowIfNull(configurationFile);
        if (role is null || purpose is null || user is null)
        {
            if (File.Exists(configurationFile))
            {
                try
                {
                    using var document = JsonDocument.Parse(File.ReadAllText(configurationFile));
                    user ??= Text(document.RootElement, "user");
                    role ??= Text(document.RootElement, "role");
                    purpose ??= Text(document.RootElement, "purpose");
                }
                catch (JsonException e)
                {
                    throw new InvalidDataException($"{configurationFile}: not valid JSON ({e.Message}); expected {{ \"user\": \"...\", \"role\": \"...\", \"purpose\": \"...\" }}.", e);
                }
            }
        }

        if (role is not { Length: > 0 } || purpose is not { Length: > 0 })
        {
            throw new ArgumentException(
                $"No identity to read the lake with: give --role and --purpose (e.g. --role analyst --purpose operations), or write them in {configurationFile} " +
                "as { \"user\": \"you\", \"role\": \"analyst\", \"purpose\": \"operations\" } ($FHIRHOUSE_OPERATOR names another file). " +
                "Roles and purposes are those of the policies (docs/governance.md).");
        }

        return new AccessIdentity(user is { Length: > 0 } ? user : Environment.UserName, role, purpose);
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
