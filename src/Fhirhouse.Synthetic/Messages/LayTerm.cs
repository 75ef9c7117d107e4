namespace Fhirhouse.Synthetic.Messages;

/// <summary>
/// How a patient names a concept: <see cref="Text"/> is the mention ("mal à la tête", "short of breath"), <see cref="Lead"/>
/// the words that bring it in ("j'ai ", "i'm "; an article for nouns: "a ", "the ").
/// </summary>
internal readonly record struct LayTerm(string Lead, string Text);
