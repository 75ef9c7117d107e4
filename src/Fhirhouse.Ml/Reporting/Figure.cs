namespace Fhirhouse.Ml.Reporting;

/// <summary>A rendered figure: what it shows (the image's alternative text), a caption saying how to read it, the PNG and its size.</summary>
internal sealed record Figure(string Title, string Caption, byte[] Png, int Width, int Height);
