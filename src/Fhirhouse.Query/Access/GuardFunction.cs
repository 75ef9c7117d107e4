namespace Fhirhouse.Query.Access;

/// <summary>
/// A scalar function of text a guard's mask expressions call: <see cref="Arity"/> VARCHAR arguments (1 or 2; the second
/// is null for 1), VARCHAR result; it receives NULLs and must not throw. Its name starts with
/// <see cref="GuardedViewSql.ReservedPrefix"/>, which user SQL may not call.
/// </summary>
public sealed record GuardFunction
{
    public GuardFunction(string name, int arity, Func<string?, string?, string?> apply)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(apply);
        if (!name.StartsWith(GuardedViewSql.ReservedPrefix, StringComparison.Ordinal) || name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')))
        {
            throw new ArgumentException($"A guard function's name is lowercase ASCII starting with '{GuardedViewSql.ReservedPrefix}' (got '{name}').", nameof(name));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(arity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(arity, 2);
        Name = name;
        Arity = arity;
        Apply = apply;
    }

    public string Name { get; }

    public int Arity { get; }

    public Func<string?, string?, string?> Apply { get; }
}
