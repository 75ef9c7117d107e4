namespace Fhirhouse.Governance.Policies;

/// <summary>Table patterns: <c>*</c> any run of characters, <c>?</c> one character; case-insensitive.</summary>
internal static class TableGlob
{
    public static bool IsMatch(string pattern, string name) => Match(pattern.AsSpan(), name.AsSpan());

    private static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        while (pattern.Length > 0)
        {
            switch (pattern[0])
            {
                case '*':
                    pattern = pattern[1..];
                    for (var skip = 0; skip <= name.Length; skip++)
                    {
                        if (Match(pattern, name[skip..]))
                        {
                            return true;
                        }
                    }

                    return false;
                case '?':
                    if (name.Length == 0)
                    {
                        return false;
                    }

                    break;
                default:
                    if (name.Length == 0 || char.ToLowerInvariant(pattern[0]) != char.ToLowerInvariant(name[0]))
                    {
                        return false;
                    }

                    break;
            }

            pattern = pattern[1..];
            name = name[1..];
        }

        return name.Length == 0;
    }
}
