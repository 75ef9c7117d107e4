namespace Fhirhouse.Server.Export;

/// <summary>One file of a finished export: its kind (output, deleted, error), resource type, name under the job and line count.</summary>
internal sealed record ExportFile(string Kind, string Type, string Name, long Count);
