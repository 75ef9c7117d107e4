namespace Fhirhouse.Views;

/// <summary>A column of a view and how many of its values were stored as null because they do not fit its type.</summary>
public readonly record struct ViewColumnNulls(string Column, long Values);
