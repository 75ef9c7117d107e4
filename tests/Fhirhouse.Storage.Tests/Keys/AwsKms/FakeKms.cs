using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.KeyManagementService;
using Amazon.Runtime;

namespace Fhirhouse.Storage.Tests.Keys.AwsKms;

/// <summary>
/// An in-memory stand-in for the KMS JSON API behind the real SDK client: it records every call (target and body) and
/// answers Encrypt, Decrypt, DescribeKey, CreateKey, CreateAlias, ListAliases, RotateKeyOnDemand and ScheduleKeyDeletion.
/// </summary>
internal sealed class FakeKms : HttpClientFactory
{
    private readonly ConcurrentDictionary<string, string> _aliases = new();
    private readonly ConcurrentDictionary<string, string> _states = new();
    private readonly ConcurrentDictionary<string, (string KeyId, byte[] Plaintext, string Context)> _blobs = new();

    public ConcurrentQueue<(string Target, JsonObject Body)> Calls { get; } = new();

    public AmazonKeyManagementServiceClient Client() => new(new BasicAWSCredentials("test", "test"), new AmazonKeyManagementServiceConfig
    {
        ServiceURL = "http://127.0.0.1:9",
        AuthenticationRegion = "eu-west-3",
        HttpClientFactory = this,
        MaxErrorRetry = 0,
    });

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Handler(this));

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;

    private HttpResponseMessage Answer(string target, JsonObject body)
    {
        string Resolve(string id) => _aliases.TryGetValue(id, out var key) ? key : id;
        switch (target)
        {
            case "CreateKey":
                var id = Guid.NewGuid().ToString();
                _states[id] = "Enabled";
                return Ok(new JsonObject { ["KeyMetadata"] = new JsonObject { ["KeyId"] = id, ["KeyState"] = "Enabled" } });
            case "CreateAlias":
                _aliases[body["AliasName"]!.GetValue<string>()] = body["TargetKeyId"]!.GetValue<string>();
                return Ok(new JsonObject());
            case "DescribeKey":
                var described = Resolve(body["KeyId"]!.GetValue<string>());
                return _states.TryGetValue(described, out var state)
                    ? Ok(new JsonObject { ["KeyMetadata"] = new JsonObject { ["KeyId"] = described, ["KeyState"] = state } })
                    : Error("NotFoundException", "Alias not found");
            case "ListAliases":
                var aliases = new JsonArray(_aliases.OrderBy(a => a.Key, StringComparer.Ordinal)
                    .Select(a => (JsonNode)new JsonObject { ["AliasName"] = a.Key, ["TargetKeyId"] = a.Value }).ToArray());
                return Ok(new JsonObject { ["Aliases"] = aliases, ["Truncated"] = false });
            case "RotateKeyOnDemand":
                return Ok(new JsonObject { ["KeyId"] = Resolve(body["KeyId"]!.GetValue<string>()) });
            case "ScheduleKeyDeletion":
                _states[body["KeyId"]!.GetValue<string>()] = "PendingDeletion";
                return Ok(new JsonObject { ["KeyId"] = body["KeyId"]!.GetValue<string>(), ["KeyState"] = "PendingDeletion" });
            case "Encrypt":
            {
                var key = Resolve(body["KeyId"]!.GetValue<string>());
                if (!_states.TryGetValue(key, out var s))
                {
                    return Error("NotFoundException", "Alias not found");
                }

                if (s != "Enabled")
                {
                    return Error("KMSInvalidStateException", $"{key} is pending deletion.");
                }

                var blob = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
                _blobs[blob] = (key, Convert.FromBase64String(body["Plaintext"]!.GetValue<string>()), body["EncryptionContext"]?.ToJsonString() ?? "");
                return Ok(new JsonObject { ["CiphertextBlob"] = blob, ["KeyId"] = key });
            }

            case "Decrypt":
            {
                var key = Resolve(body["KeyId"]!.GetValue<string>());
                if (_states.TryGetValue(key, out var s) && s != "Enabled")
                {
                    return Error("KMSInvalidStateException", $"{key} is pending deletion.");
                }

                var blob = body["CiphertextBlob"]!.GetValue<string>();
                return _blobs.TryGetValue(blob, out var entry) && entry.KeyId == key && entry.Context == (body["EncryptionContext"]?.ToJsonString() ?? "")
                    ? Ok(new JsonObject { ["Plaintext"] = Convert.ToBase64String(entry.Plaintext), ["KeyId"] = key })
                    : Error("InvalidCiphertextException", "");
            }

            default:
                return Error("UnsupportedOperationException", target);
        }
    }

    private static HttpResponseMessage Ok(JsonObject body) => new(HttpStatusCode.OK)
    {
        Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/x-amz-json-1.1"),
    };

    private static HttpResponseMessage Error(string type, string message)
    {
        var response = new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new StringContent(new JsonObject { ["__type"] = type, ["message"] = message }.ToJsonString(), Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        response.Headers.Add("x-amzn-ErrorType", type);
        return response;
    }

    private sealed class Handler(FakeKms kms) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var target = request.Headers.GetValues("X-Amz-Target").Single().Split('.')[1];
            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsObject();
            kms.Calls.Enqueue((target, body));
            var response = kms.Answer(target, body);
            response.RequestMessage = request;
            return response;
        }
    }
}
