namespace Fhirhouse.Nlp.Terminology;

/// <summary>The terminology release files <see cref="TerminologyImport"/> reads.</summary>
public enum TerminologyFormat
{
    /// <summary>CMS ICD-10-CM order file (<c>icd10cm_order_YYYY.txt</c>), fixed width, English.</summary>
    Icd10CmOrder,

    /// <summary>SNOMED CT RF2 description file (<c>sct2_Description_Snapshot-en_INT_YYYYMMDD.txt</c>), tab-separated.</summary>
    SnomedDescriptions,

    /// <summary>UMLS Metathesaurus concept names (<c>MRCONSO.RRF</c>), pipe-separated.</summary>
    UmlsConcepts,

    /// <summary>LOINC table (<c>Loinc.csv</c>), RFC 4180 CSV, English.</summary>
    LoincTable,

    /// <summary>ATIH CIM-10 labels (<c>LIBCIM10MULTI.TXT</c>, <c>LIBCIM10.TXT</c>), pipe-separated, French.</summary>
    AtihCim10,
}
