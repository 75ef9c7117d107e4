using Fhirhouse.Governance.Consent;

namespace Fhirhouse.Governance.Tests.Consent;

public sealed class ConsentRegistryTests
{
    [Fact]
    public async Task Only_the_current_active_permit_consents_for_the_purpose_count()
    {
        using var lake = await GovernedLake.CreateAsync();
        var registry = new ConsentRegistry(lake.Store, lake.Time);

        Assert.Equal(["p1", "p3"], await registry.PatientsConsentingToAsync("research"));
        Assert.Equal(["p4"], await registry.PatientsConsentingToAsync("treatment"));
        Assert.Empty(await registry.PatientsConsentingToAsync("operations"));
    }
}
