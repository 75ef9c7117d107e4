using Fhirhouse.Delta.Schema;
using Fhirhouse.Lake;
using Fhirhouse.Lake.Tables;

namespace Fhirhouse.Nlp.Annotations;

/// <summary>
/// <c>gold.nlp_annotations</c> (<c>tables/gold/nlp_annotations</c>): one row per mention the engine found in the lake's
/// free text, with where it is (source resource, text path, offsets, the words as written: PHI), what it is (concept
/// and codes, or measurement or drug), its assertion and the rules that decided it, the FHIR resource it became, and the
/// fingerprint and versions of the engine that found it, and a digest of all the FHIR its source resource gave (so that an
/// unchanged result is not landed again). Derived from bronze (<see cref="DerivedTable"/>): each commit
/// records the bronze version it reflects; <c>_resource_key</c> is the source resource and <c>patient_id</c> its patient,
/// so the policies and the erasure know the rows.
/// </summary>
public static class NlpAnnotationsTable
{
    /// <summary>The table's qualified name.</summary>
    public const string Name = "gold.nlp_annotations";

    /// <summary>The table's columns, in row order.</summary>
    public static StructType Schema { get; } = new(
    [
        new StructField(DerivedTable.ResourceKeyColumn, PrimitiveType.String, Nullable: false),
        new StructField("patient_id", PrimitiveType.String),
        new StructField("text_path", PrimitiveType.String, Nullable: false),
        new StructField("language", PrimitiveType.String, Nullable: false),
        new StructField("section", PrimitiveType.String),
        new StructField("mention_id", PrimitiveType.String, Nullable: false),
        new StructField("kind", PrimitiveType.String, Nullable: false),
        new StructField("start", PrimitiveType.Integer, Nullable: false),
        new StructField("end", PrimitiveType.Integer, Nullable: false),
        new StructField("text", PrimitiveType.String, Nullable: false),
        new StructField("concept_id", PrimitiveType.String, Nullable: false),
        new StructField("display", PrimitiveType.String, Nullable: false),
        new StructField("concept_kind", PrimitiveType.String),
        new StructField("codes", PrimitiveType.String),
        new StructField("negation", PrimitiveType.String),
        new StructField("temporality", PrimitiveType.String),
        new StructField("experiencer", PrimitiveType.String),
        new StructField("relative", PrimitiveType.String),
        new StructField("rule_ids", PrimitiveType.String),
        new StructField("value", PrimitiveType.Double),
        new StructField("unit", PrimitiveType.String),
        new StructField("fhir_resource", PrimitiveType.String),
        new StructField("source_last_updated", PrimitiveType.Timestamp),
        new StructField("engine_fingerprint", PrimitiveType.String, Nullable: false),
        new StructField("engine_versions", PrimitiveType.String, Nullable: false),
        new StructField("output_digest", PrimitiveType.String, Nullable: false),
    ]);

    /// <summary>The table as declared to the lake.</summary>
    public static LakeTableDefinition Definition { get; } = new(Name, LakeLayout.Gold + "nlp_annotations", Schema);

    /// <summary>Column positions, for readers of the rows.</summary>
    internal static class Column
    {
        public const int ResourceKey = 0;
        public const int PatientId = 1;
        public const int TextPath = 2;
        public const int Language = 3;
        public const int Section = 4;
        public const int MentionId = 5;
        public const int Kind = 6;
        public const int Start = 7;
        public const int End = 8;
        public const int Text = 9;
        public const int ConceptId = 10;
        public const int Display = 11;
        public const int ConceptKind = 12;
        public const int Codes = 13;
        public const int Negation = 14;
        public const int Temporality = 15;
        public const int Experiencer = 16;
        public const int Relative = 17;
        public const int RuleIds = 18;
        public const int Value = 19;
        public const int Unit = 20;
        public const int FhirResource = 21;
        public const int SourceLastUpdated = 22;
        public const int EngineFingerprint = 23;
        public const int EngineVersions = 24;
        public const int OutputDigest = 25;
    }
}
