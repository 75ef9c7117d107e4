using Fhirhouse.Storage.Keys.Pkcs11;

namespace Fhirhouse.Storage.Tests.Keys.Pkcs11;

/// <summary>Login failures, with no other provider open (PKCS#11 login state is shared by the whole process).</summary>
[Collection(nameof(SoftHsmCollection))]
public sealed class Pkcs11LoginTests(SoftHsmToken token)
{
    [Fact]
    public void A_wrong_pin_is_refused_with_the_token_named()
    {
        var error = Assert.Throws<UnauthorizedAccessException>(() => new Pkcs11KeyProvider(token.Options with { UserPin = "0000" }).Dispose());
        Assert.Contains(SoftHsmToken.Label, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_token_label_is_named_in_the_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new Pkcs11KeyProvider(token.Options with { TokenLabel = "nope" }).Dispose());
        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
    }
}
