using System.Text.Json;
using Fhirhouse.Errors;
using Fhirhouse.Lake;
using Fhirhouse.Query.Access;

namespace Fhirhouse.Governance.Policies;

/// <summary>
/// The policies of a folder (every <c>*.json</c> in it, in name order): the roles and purposes they declare and their
/// rules. Deny by default: a table no rule allows is denied; a matching deny wins over any allow; among allows the
/// first (file order, then rule order) gives the masks and filter. Only admin/operations may read <c>audit_log</c>.
/// </summary>
public sealed class PolicySet
{
    /// <summary>The audit table, readable by <see cref="AuditRole"/> for <see cref="AuditPurpose"/> only, whatever the files say.</summary>
    public const string AuditTable = "audit_log";

    public const string AuditRole = "admin";

    public const string AuditPurpose = "operations";

    private const int DefaultPostcodeLength = 2;

    private PolicySet(string source, IReadOnlyList<string> roles, IReadOnlyList<string> purposes, IReadOnlyList<PolicyRule> rules)
    {
        Source = source;
        Roles = roles;
        Purposes = purposes;
        Rules = rules;
    }

    /// <summary>The folder the policies were read from.</summary>
    public string Source { get; }

    public IReadOnlyList<string> Roles { get; }

    public IReadOnlyList<string> Purposes { get; }

    public IReadOnlyList<PolicyRule> Rules { get; }

    /// <summary>
    /// The default policies, copied beside the program from the repository's <c>policies/</c>. Which folder to read is
    /// the host's choice (an option, its configuration, else this one).
    /// </summary>
    public static string Shipped => Path.Combine(AppContext.BaseDirectory, "policies");

    /// <summary>Reads every policy file of <paramref name="folder"/>; throws <see cref="PolicyException"/> naming the file and rule of the first problem.</summary>
    public static PolicySet Load(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            throw FhirhouseException.PathNotFound(Path.GetFullPath(folder), "policy folder");
        }

        var files = Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new PolicyException(Path.GetFullPath(folder), null, "holds no *.json policy file.");
        }

        return Parse(Path.GetFullPath(folder), files.Select(f => (f, File.ReadAllText(f))).ToList());
    }

    /// <summary>
    /// Reads policy files given as (name, JSON text) pairs, in the order given (the policies stored in the lake);
    /// <paramref name="source"/> names where they come from in decisions. Throws <see cref="PolicyException"/> naming the
    /// file and rule of the first problem.
    /// </summary>
    public static PolicySet Parse(string source, IReadOnlyList<(string File, string Json)> files)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            throw new PolicyException(source, null, "holds no policy file.");
        }

        var roles = new List<string>();
        var purposes = new List<string>();
        var parsed = new List<(string File, JsonElement Rule)>();
        var documents = new List<JsonDocument>();
        try
        {
            foreach (var (file, json) in files)
            {
                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                }
                catch (JsonException e)
                {
                    throw new PolicyException(file, null, $"not valid JSON at line {e.LineNumber + 1}: {e.Message}", e);
                }

                documents.Add(document);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new PolicyException(file, null, "the file must hold a JSON object with \"roles\", \"purposes\" and \"rules\".");
                }

                foreach (var property in root.EnumerateObject())
                {
                    switch (property.Name)
                    {
                        case "roles":
                            roles.AddRange(Strings(property.Value, file, null, "roles"));
                            break;
                        case "purposes":
                            purposes.AddRange(Strings(property.Value, file, null, "purposes"));
                            break;
                        case "rules":
                            if (property.Value.ValueKind != JsonValueKind.Array)
                            {
                                throw new PolicyException(file, null, "\"rules\" must be an array of rules.");
                            }

                            parsed.AddRange(property.Value.EnumerateArray().Select(rule => (file, rule)));
                            break;
                        case "settings":
                            break;
                        default:
                            throw new PolicyException(file, null, $"unknown key \"{property.Name}\" (accepted: roles, purposes, settings, rules).");
                    }
                }
            }

            var postcode = PostcodeLength(documents, files.Select(f => f.File).ToList());
            var rules = new List<PolicyRule>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (file, element) in parsed)
            {
                var rule = ParseRule(file, element, roles, purposes, postcode);
                if (!names.Add(rule.Name))
                {
                    throw new PolicyException(file, rule.Name, "another rule has the same name; rule names must be unique across the policy files.");
                }

                rules.Add(rule);
            }

            return new PolicySet(source, roles.Distinct(StringComparer.Ordinal).ToList(), purposes.Distinct(StringComparer.Ordinal).ToList(), rules);
        }
        finally
        {
            foreach (var document in documents)
            {
                document.Dispose();
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="role"/> may read the table <paramref name="name"/> (its SQL name) at <paramref name="path"/>
    /// (its lake path, which gives the qualified name <c>views.patient</c>) for <paramref name="purpose"/>.
    /// </summary>
    public PolicyDecision Decide(string role, string purpose, string name, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(purpose);
        ArgumentNullException.ThrowIfNull(name);
        var who = $"role '{role}' for purpose '{purpose}'";
        if (!Roles.Contains(role, StringComparer.Ordinal))
        {
            return new PolicyDecision(false, null, $"Access denied to table '{name}': role '{role}' is not defined by the policies in {Source} (roles: {string.Join(", ", Roles)}).");
        }

        if (!Purposes.Contains(purpose, StringComparer.Ordinal))
        {
            return new PolicyDecision(false, null, $"Access denied to table '{name}': purpose '{purpose}' is not defined by the policies in {Source} (purposes: {string.Join(", ", Purposes)}).");
        }

        var names = NamesOf(name, path);
        PolicyRule? allow = null;
        foreach (var rule in Rules)
        {
            if (!rule.AppliesTo(role, purpose) || !rule.Matches(names))
            {
                continue;
            }

            if (rule.Effect == PolicyEffect.Deny)
            {
                return new PolicyDecision(false, rule, $"Access denied: rule '{rule.Name}' ({rule.File}) denies table '{name}' to {who}.");
            }

            allow ??= rule;
        }

        return allow is null
            ? new PolicyDecision(false, null, $"Access denied: no rule allows table '{name}' to {who} (deny by default; policies in {Source}).")
            : new PolicyDecision(true, allow, $"rule '{allow.Name}' allows table '{name}' to {who}.");
    }

    /// <summary>
    /// The names a pattern may match: the table's qualified name (<c>views.patient</c>, <c>bronze.fhir_resources</c>), its
    /// short name (<c>patient</c>) and its path under <c>tables/</c> with dots (<c>views.patient</c>, <c>fhir_resources</c>);
    /// a name that is not a lake table's (no path under <c>tables/</c>, such as <c>export.Patient</c>) matches as given only.
    /// </summary>
    private static string[] NamesOf(string name, string? path)
    {
        if (path is null || !path.StartsWith(LakeLayout.Tables, StringComparison.Ordinal))
        {
            // Not a lake table (an export decision on 'export.TYPE'): the name as given, nothing else.
            return [name];
        }

        var names = new List<string> { name };
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            names.Add(name[(dot + 1)..]);
        }

        names.Add(path[LakeLayout.Tables.Length..].Replace('/', '.'));

        return [.. names.Distinct(StringComparer.Ordinal)];
    }

    private static int PostcodeLength(List<JsonDocument> documents, List<string> files)
    {
        var length = DefaultPostcodeLength;
        for (var i = 0; i < documents.Count; i++)
        {
            if (documents[i].RootElement.TryGetProperty("settings", out var settings)
                && settings.ValueKind == JsonValueKind.Object && settings.TryGetProperty("postcode_length", out var value))
            {
                if (!value.TryGetInt32(out length) || length is < 1 or > 10)
                {
                    throw new PolicyException(files[i], null, "settings.postcode_length must be a whole number from 1 to 10.");
                }
            }
        }

        return length;
    }

    private static PolicyRule ParseRule(string file, JsonElement element, List<string> roles, List<string> purposes, int postcodeLength)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new PolicyException(file, null, "each rule must be a JSON object.");
        }

        var name = element.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() is { Length: > 0 } text
            ? text
            : throw new PolicyException(file, null, $"a rule has no \"name\": {Shorten(element.GetRawText())}");
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name is not ("name" or "tables" or "roles" or "purposes" or "effect" or "masks" or "filter" or "description"))
            {
                throw new PolicyException(file, name, $"unknown key \"{property.Name}\" (accepted: name, description, tables, roles, purposes, effect, masks, filter).");
            }
        }

        var tables = Required(element, "tables", file, name);
        var ruleRoles = Required(element, "roles", file, name);
        var rulePurposes = Required(element, "purposes", file, name);
        foreach (var role in ruleRoles.Where(r => r != "*" && !roles.Contains(r, StringComparer.Ordinal)))
        {
            throw new PolicyException(file, name, $"unknown role '{role}' (declared roles: {string.Join(", ", roles)}).");
        }

        foreach (var purpose in rulePurposes.Where(p => p != "*" && !purposes.Contains(p, StringComparer.Ordinal)))
        {
            throw new PolicyException(file, name, $"unknown purpose '{purpose}' (declared purposes: {string.Join(", ", purposes)}).");
        }

        var effect = element.TryGetProperty("effect", out var e) ? e.GetString() : null;
        var parsedEffect = effect switch
        {
            "allow" => PolicyEffect.Allow,
            "deny" => PolicyEffect.Deny,
            _ => throw new PolicyException(file, name, $"\"effect\" must be \"allow\" or \"deny\" (got {(effect is null ? "nothing" : $"'{effect}'")})."),
        };

        var masks = new Dictionary<string, ColumnMask>(StringComparer.Ordinal);
        if (element.TryGetProperty("masks", out var m))
        {
            if (m.ValueKind != JsonValueKind.Object)
            {
                throw new PolicyException(file, name, "\"masks\" must map column names to a mask (hash, redact, year, postcode, truncate:N).");
            }

            foreach (var column in m.EnumerateObject())
            {
                masks[column.Name] = Mask(column.Value.ValueKind == JsonValueKind.String ? column.Value.GetString()! : column.Value.GetRawText(), postcodeLength)
                    ?? throw new PolicyException(file, name, $"unknown mask '{column.Value}' on column '{column.Name}' (accepted: hash, redact, year, postcode, truncate:N).");
            }
        }

        RowFilter? filter = null;
        if (element.TryGetProperty("filter", out var f))
        {
            filter = Filter(f, file, name, purposes);
        }

        if (parsedEffect == PolicyEffect.Deny && (masks.Count > 0 || filter is not null))
        {
            throw new PolicyException(file, name, "a deny rule has no masks or filter; put them on an allow rule.");
        }

        var rule = new PolicyRule(name, file, tables, ruleRoles, rulePurposes, parsedEffect, masks, filter);
        if (parsedEffect == PolicyEffect.Allow && rule.Matches([AuditTable])
            && (ruleRoles is not [AuditRole] || rulePurposes is not [AuditPurpose]))
        {
            throw new PolicyException(file, name, $"it would open '{AuditTable}' to other than role '{AuditRole}' for purpose '{AuditPurpose}': list the tables it allows so that '{AuditTable}' is not among them.");
        }

        return rule;
    }

    private static ColumnMask? Mask(string text, int postcodeLength)
    {
        switch (text)
        {
            case "hash":
                return ColumnMask.Hash;
            case "redact":
                return ColumnMask.Redact;
            case "year":
                return ColumnMask.Year;
            case "postcode":
                return ColumnMask.Truncate(postcodeLength);
        }

        return text.StartsWith("truncate:", StringComparison.Ordinal) && int.TryParse(text["truncate:".Length..], System.Globalization.CultureInfo.InvariantCulture, out var length) && length > 0
            ? ColumnMask.Truncate(length)
            : null;
    }

    private static RowFilter Filter(JsonElement element, string file, string rule, List<string> purposes)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new PolicyException(file, rule, "\"filter\" must be an object: { \"sql\": \"organization_id = 'org-1'\" } or { \"consented_for\": \"research\", \"column\": \"patient_id\" }.");
        }

        var sql = element.TryGetProperty("sql", out var s) ? s.GetString() : null;
        var consent = element.TryGetProperty("consented_for", out var c) ? c.GetString() : null;
        var column = element.TryGetProperty("column", out var col) ? col.GetString() : null;
        if ((sql is null) == (consent is null))
        {
            throw new PolicyException(file, rule, "a filter holds either \"sql\" or \"consented_for\" (with an optional \"column\", default patient_id).");
        }

        if (consent is not null && !purposes.Contains(consent, StringComparer.Ordinal))
        {
            throw new PolicyException(file, rule, $"consented_for '{consent}' is not a declared purpose ({string.Join(", ", purposes)}).");
        }

        if (sql is not null && (sql.Contains(';', StringComparison.Ordinal) || sql.Trim().Length == 0))
        {
            throw new PolicyException(file, rule, "a filter's sql is one predicate over the table's columns, without ';'.");
        }

        return new RowFilter(sql, consent, column is { Length: > 0 } ? column : "patient_id");
    }

    private static List<string> Required(JsonElement element, string key, string file, string rule)
    {
        if (!element.TryGetProperty(key, out var value))
        {
            throw new PolicyException(file, rule, $"\"{key}\" is missing (a list; \"*\" for any).");
        }

        var list = Strings(value, file, rule, key);
        return list.Count > 0 ? list : throw new PolicyException(file, rule, $"\"{key}\" is empty.");
    }

    private static List<string> Strings(JsonElement value, string file, string? rule, string key)
    {
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            throw new PolicyException(file, rule, $"\"{key}\" must be a list of strings.");
        }

        return value.EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
