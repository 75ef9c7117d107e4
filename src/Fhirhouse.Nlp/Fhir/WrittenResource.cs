namespace Fhirhouse.Nlp.Fhir;

/// <summary>A FHIR R4 resource the NLP stage wrote: its type, id and JSON (compact, one line, UTF-8 text).</summary>
public sealed record WrittenResource(string ResourceType, string Id, string Json)
{
    /// <summary><c>ResourceType/Id</c>.</summary>
    public string Key => ResourceType + "/" + Id;
}
