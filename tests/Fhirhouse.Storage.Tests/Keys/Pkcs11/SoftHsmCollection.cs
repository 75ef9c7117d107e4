namespace Fhirhouse.Storage.Tests.Keys.Pkcs11;

/// <summary>One SoftHSM2 token for all PKCS#11 tests (the module reads SOFTHSM2_CONF once per process).</summary>
[CollectionDefinition(nameof(SoftHsmCollection))]
public sealed class SoftHsmCollection : ICollectionFixture<SoftHsmToken>;
