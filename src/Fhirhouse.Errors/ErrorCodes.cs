namespace Fhirhouse.Errors;

/// <summary>The codes of <see cref="FhirhouseException.Code"/>: stable, <c>room.what</c>, for scripts and logs.</summary>
public static class ErrorCodes
{
    /// <summary>A path the request names does not exist (usage).</summary>
    public const string PathNotFound = "usage.path_not_found";

    /// <summary>An option or configuration value is not usable (usage).</summary>
    public const string InvalidValue = "usage.invalid_value";

    public const string ObjectNotFound = "storage.object_not_found";
    public const string TamperedObject = "storage.tampered_object";
    public const string KeyUnavailable = "storage.key_unavailable";
    public const string KeyringAccess = "storage.keyring_access";
    public const string LakeUpgradeRequired = "storage.lake_upgrade_required";

    public const string TableNotFound = "delta.table_not_found";
    public const string ProtocolViolation = "delta.protocol_violation";
    public const string UnsupportedFeature = "delta.unsupported_feature";
    public const string CommitConflict = "delta.commit_conflict";
    public const string InvalidRow = "delta.invalid_row";
    public const string TableTampered = "delta.table_tampered";

    public const string InvalidResource = "fhir.invalid_resource";
    public const string InvalidView = "fhir.invalid_view";
    public const string InvalidFhirPath = "fhir.invalid_fhirpath";

    public const string BulkExportFailed = "ingest.bulk_export_failed";
    public const string HttpTransient = "ingest.http_transient";

    public const string QueryFailed = "query.failed";
    public const string AccessDenied = "query.access_denied";

    public const string InvalidPolicy = "governance.invalid_policy";

    public const string InvalidMlSpec = "ml.invalid_spec";
    public const string ModelNotFound = "ml.model_not_found";
    public const string ModelRefused = "ml.model_refused";

    public const string RequestRefused = "server.request_refused";
    public const string TokenRefused = "server.token_refused";
}
