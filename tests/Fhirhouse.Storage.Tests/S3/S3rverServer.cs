using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Fhirhouse.Testing;

namespace Fhirhouse.Storage.Tests.S3;

/// <summary>
/// s3rver (npm, installed by test.sh in tools/s3rver) on 127.0.0.1 with a free port and a temp folder, one bucket;
/// stopped on dispose.
/// </summary>
public sealed class S3rverServer : IAsyncLifetime
{
    public const string BucketName = "fhirhouse-test";
    private readonly TempFolder _folder = new();
    private readonly (string Certificate, string Key)? _tls;
    private Process? _process;

    public S3rverServer()
    {
    }

    /// <summary>An s3rver that speaks only TLS, with this certificate and key (PEM files).</summary>
    internal S3rverServer(string certificateFile, string keyFile) => _tls = (certificateFile, keyFile);

    /// <summary>The endpoint: http://127.0.0.1:PORT, or https:// for a TLS s3rver.</summary>
    public string ServiceUrl => $"{(_tls is null ? "http" : "https")}://127.0.0.1:{Port}";

    public int Port { get; private set; }

    internal RecordingHttpClientFactory Http { get; } = new();

    public async Task InitializeAsync()
    {
        var script = Path.Combine(RepoPaths.Root, "tools", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"s3rver is not installed at {script}: run 'npm ci' in tools/s3rver (test.sh does).");
        }

        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        string[] tls = _tls is { } files ? ["--cert", files.Certificate, "--key", files.Key] : [];
        var start = new ProcessStartInfo("node", [script, "-d", _folder.Path, "-a", "127.0.0.1", "-p", Port.ToString(), "-s", .. tls, "--configure-bucket", BucketName])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["NODE_OPTIONS"] = "--openssl-legacy-provider";
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"s3rver exited with code {_process.ExitCode} before listening.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"s3rver did not listen on 127.0.0.1:{Port} within 20 s.");
    }

    public AmazonS3Client Client() => new(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
    {
        ServiceURL = ServiceUrl,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        HttpClientFactory = Http,
    });

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _folder.Dispose();
    }
}
