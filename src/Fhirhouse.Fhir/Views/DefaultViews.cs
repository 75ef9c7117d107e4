namespace Fhirhouse.Fhir.Views;

/// <summary>
/// The views shipped with Fhirhouse (patient, encounter, condition, observation, medication_request, procedure,
/// document_reference, immunization, allergy_intolerance), documented column by column in docs/views.md.
/// </summary>
public static class DefaultViews
{
    private const string Prefix = "Fhirhouse.Fhir.Views.Defaults.";

    private static readonly Lazy<IReadOnlyList<ViewDefinition>> s_all = new(Load);

    /// <summary>The names of the default views, in alphabetical order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "allergy_intolerance", "condition", "document_reference", "encounter", "immunization", "medication_request",
        "observation", "patient", "procedure",
    ];

    /// <summary>Every default view, compiled, in the order of <see cref="Names"/>.</summary>
    public static IReadOnlyList<ViewDefinition> All => s_all.Value;

    /// <summary>The default view with the given name.</summary>
    /// <exception cref="KeyNotFoundException">No default view has that name; the message lists the names.</exception>
    public static ViewDefinition Get(string name)
    {
        foreach (var view in All)
        {
            if (string.Equals(view.Name, name, StringComparison.Ordinal))
            {
                return view;
            }
        }

        throw new KeyNotFoundException($"There is no default view '{name}'; the default views are {string.Join(", ", Names)}.");
    }

    /// <summary>The ViewDefinition JSON of a default view, for users who start their own from it.</summary>
    /// <exception cref="KeyNotFoundException">No default view has that name.</exception>
    public static string Json(string name)
    {
        using var stream = typeof(DefaultViews).Assembly.GetManifestResourceStream(Prefix + name + ".json")
            ?? throw new KeyNotFoundException($"There is no default view '{name}'; the default views are {string.Join(", ", Names)}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static IReadOnlyList<ViewDefinition> Load()
    {
        var views = new List<ViewDefinition>(Names.Count);
        foreach (var name in Names)
        {
            views.Add(ViewDefinition.Parse(Json(name)));
        }

        return views;
    }
}
