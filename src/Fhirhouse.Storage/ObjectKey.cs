namespace Fhirhouse.Storage;

/// <summary>Validation and joining of object keys.</summary>
public static class ObjectKey
{
    /// <summary>Joins key parts with '/', without doubling separators.</summary>
    public static string Combine(string left, string right)
    {
        if (left.Length == 0)
        {
            return right;
        }

        return left.EndsWith('/') ? left + right.TrimStart('/') : left + "/" + right.TrimStart('/');
    }

    /// <summary>Throws when the key is empty, absolute, or climbs out of the store with "..".</summary>
    public static void Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0 || key[0] == '/' || key.Contains('\\', StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Invalid object key '{key}': keys are relative '/'-separated paths.", nameof(key));
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment is ".." or ".")
            {
                throw new ArgumentException($"Invalid object key '{key}': '.' and '..' segments are not allowed.", nameof(key));
            }
        }
    }
}
