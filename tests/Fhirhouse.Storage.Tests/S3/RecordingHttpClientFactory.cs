using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Amazon.Runtime;

namespace Fhirhouse.Storage.Tests.S3;

/// <summary>Gives the AWS SDK an HttpClient that records every request (method, URL, headers) and can refuse conditional writes.</summary>
internal sealed class RecordingHttpClientFactory : HttpClientFactory
{
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>When true, a request carrying If-None-Match gets 412 Precondition Failed, as S3 answers for an existing key.</summary>
    public bool RefuseConditionalWrites { get; set; }

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Recorder(this, new HttpClientHandler()));

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;

    public void Clear() => Requests.Clear();

    internal sealed record RecordedRequest(string Method, Uri Url, IReadOnlyDictionary<string, string> Headers);

    private sealed class Recorder(RecordingHttpClientFactory owner, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
            owner.Requests.Enqueue(new RecordedRequest(request.Method.Method, request.RequestUri!, headers));
            if (owner.RefuseConditionalWrites && headers.ContainsKey("if-none-match"))
            {
                return new HttpResponseMessage(HttpStatusCode.PreconditionFailed)
                {
                    RequestMessage = request,
                    Content = new StringContent(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>",
                        Encoding.UTF8, "application/xml"),
                };
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
