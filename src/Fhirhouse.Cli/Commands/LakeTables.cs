using Fhirhouse.Governance.Audit;
using Fhirhouse.Governance.Erasure;
using Fhirhouse.Governance.Policies;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Storage;
using Fhirhouse.Views;

namespace Fhirhouse.Cli.Commands;

/// <summary>The lake's catalog as this host knows it: the lake's own tables plus those the rooms it runs declare.</summary>
internal static class LakeTables
{
    /// <summary>Every table by its one qualified name, for SQL, the <c>table</c> commands and the policies.</summary>
    public static LakeCatalog Catalog(IObjectStore lake) => new(lake, [AuditLog.Definition, ErasureLedger.Definition, PolicyStore.Definition, Governance.Identity.IdentityStore.Definition, ViewTables.CurrentVersionsDefinition, Nlp.Annotations.NlpAnnotationsTable.Definition, .. Ml.Registry.MlTables.All]);
}
