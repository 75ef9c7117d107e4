namespace Fhirhouse.Testing;

/// <summary>Where the repository and the shared test data (../shared/testdata beside the clone) are.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The folder holding Fhirhouse.sln.</summary>
    public static string Root => s_root.Value;

    /// <summary>../shared/testdata relative to the repository root.</summary>
    public static string SharedTestData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "testdata"));

    /// <summary>A path under ../shared/testdata; fails with a clear message when the data is not there.</summary>
    public static string TestData(params string[] parts)
    {
        var path = Path.Combine([SharedTestData, .. parts]);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"Shared test data not found at {path}: the tests expect ../shared/testdata beside the repository.");
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Fhirhouse.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Fhirhouse.sln not found above {AppContext.BaseDirectory}.");
    }
}
