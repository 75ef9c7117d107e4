using Fhirhouse.Fhir.Views;

namespace Fhirhouse.Views;

/// <summary>The views to materialise: the default views, plus (or replaced by name by) the ViewDefinition JSON files of a folder.</summary>
public static class ViewCatalog
{
    /// <summary>
    /// The default views followed by every <c>*.json</c> ViewDefinition of <paramref name="folder"/> (when given), in
    /// name order; a user view with a default view's name replaces it. Throws <see cref="ViewDefinitionException"/>
    /// naming the file of a definition that does not compile, and <see cref="ArgumentException"/> for a missing folder,
    /// a view without a usable name, or two files defining the same name.
    /// </summary>
    public static IReadOnlyList<ViewDefinition> Load(string? folder = null)
    {
        var views = new SortedDictionary<string, ViewDefinition>(StringComparer.Ordinal);
        foreach (var view in DefaultViews.All)
        {
            views[ViewMaterializer.NameOf(view)] = view;
        }

        if (folder is null)
        {
            return views.Values.ToList();
        }

        if (!Directory.Exists(folder))
        {
            throw new ArgumentException($"{folder}: no such folder of ViewDefinition files.", nameof(folder));
        }

        var fromFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            ViewDefinition view;
            try
            {
                view = ViewDefinition.Parse(File.ReadAllText(file));
            }
            catch (ViewDefinitionException e)
            {
                throw new ViewDefinitionException(e.Path, $"{file}: {e.Message}", e);
            }

            var name = ViewMaterializer.NameOf(view);
            if (fromFiles.TryGetValue(name, out var other))
            {
                throw new ArgumentException($"Two ViewDefinition files define the view '{name}': {other} and {file}.", nameof(folder));
            }

            fromFiles[name] = file;
            views[name] = view;
        }

        return views.Values.ToList();
    }
}
