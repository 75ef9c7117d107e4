using Amazon.Runtime;
using Fhirhouse.Storage.Transport;

namespace Fhirhouse.Storage.S3;

/// <summary>The S3 client's HTTP under the platform's TLS rule (<see cref="TlsClientSettings"/>): CA bundle, client certificate.</summary>
public sealed class TlsHttpClientFactory(TlsClientSettings settings) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        ArgumentNullException.ThrowIfNull(clientConfig);
        var endpoint = new Uri(clientConfig.ServiceURL ?? "https://s3.amazonaws.com");
        return new HttpClient(settings.Handler(endpoint, "set FHIRHOUSE_S3_ALLOW_INSECURE=1"), disposeHandler: true);
    }

    /// <summary>One client per S3 client: the handler holds the certificates.</summary>
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
}
