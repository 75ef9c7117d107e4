namespace Fhirhouse.Query.Sql;

/// <summary>A table read at a point of its history: <c>patient AT (VERSION =&gt; 3)</c> becomes the view <see cref="SqlName"/>.</summary>
internal sealed record TimeTravelReference(string Table, AsOf AsOf)
{
    public string SqlName => Table + "@" + AsOf;
}
