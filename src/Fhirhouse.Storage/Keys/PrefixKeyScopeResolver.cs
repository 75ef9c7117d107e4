namespace Fhirhouse.Storage.Keys;

/// <summary>Key scopes by object-key prefix: the longest matching <see cref="KeyScopeRule"/> wins, else the default key.</summary>
public sealed class PrefixKeyScopeResolver : IKeyScopeResolver
{
    private const string SegmentPlaceholder = "{segment}";
    private readonly string _defaultKeyId;
    private readonly KeyScopeRule[] _rules;

    public PrefixKeyScopeResolver(string defaultKeyId, IEnumerable<KeyScopeRule>? rules = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultKeyId);
        _defaultKeyId = defaultKeyId;
        _rules = (rules ?? []).OrderByDescending(r => r.Prefix.Length).ToArray();
        foreach (var rule in _rules)
        {
            if (rule.Prefix.Length == 0 || string.IsNullOrWhiteSpace(rule.KeyIdTemplate))
            {
                throw new ArgumentException($"Key scope rule '{rule.Prefix}' -> '{rule.KeyIdTemplate}': prefix and key id template must be non-empty.", nameof(rules));
            }
        }
    }

    /// <summary>One key for the whole lake.</summary>
    public static PrefixKeyScopeResolver Single(string keyId) => new(keyId);

    public string KeyIdFor(string objectKey)
    {
        foreach (var rule in _rules)
        {
            if (!objectKey.StartsWith(rule.Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (!rule.KeyIdTemplate.Contains(SegmentPlaceholder, StringComparison.Ordinal))
            {
                return rule.KeyIdTemplate;
            }

            var rest = objectKey.AsSpan(rule.Prefix.Length);
            var slash = rest.IndexOf('/');
            if (slash <= 0)
            {
                throw new ArgumentException(
                    $"Object key '{objectKey}' has no path segment after '{rule.Prefix}' to choose its key scope from.", nameof(objectKey));
            }

            return rule.KeyIdTemplate.Replace(SegmentPlaceholder, rest[..slash].ToString(), StringComparison.Ordinal);
        }

        return _defaultKeyId;
    }
}
