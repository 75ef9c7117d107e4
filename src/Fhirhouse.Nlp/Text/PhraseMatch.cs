namespace Fhirhouse.Nlp.Text;

/// <summary>A phrase found by <see cref="PhraseTrie{T}"/>: how many tokens it spans, its value, and the numbers its <c>#</c> slots took.</summary>
internal readonly record struct PhraseMatch<T>(int Length, T Value, decimal[] Numbers);
