using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeGateway.Uplink;

namespace EdgeGateway.Benchmarks.Uplink;

/// <summary>
/// A temp folder with a private CA, a Mosquitto on a free 127.0.0.1 port with mutual TLS, and helpers to build
/// uplink options against it. The integration tests have a fuller fixture; this one is only what the figures need.
/// </summary>
internal sealed class UplinkBenchmarkEnvironment : IDisposable
{
    private Process? _mosquitto;

    public UplinkBenchmarkEnvironment()
    {
        Folder = Directory.CreateTempSubdirectory("edgegateway-uplink-bench-").FullName;
    }

    public string Folder { get; }

    public int Port { get; private set; }

    public string CaPath => Path.Combine(Folder, "ca.pem");

    public string File(string name) => Path.Combine(Folder, name);

    /// <summary>Starts Mosquitto with TLS (client certificates required) and writes the PKI.</summary>
    public void StartMosquitto()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Bench CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(365));
        System.IO.File.WriteAllText(CaPath, ca.ExportCertificatePem());
        Issue(ca, "localhost", server: true, "server");
        Issue(ca, "gw-bench", server: false, "client");

        Port = FreePort();
        var data = Directory.CreateDirectory(File("data")).FullName;
        var conf = File("mosquitto.conf");
        System.IO.File.WriteAllText(conf, string.Create(CultureInfo.InvariantCulture, $"""
            user root
            allow_anonymous false
            persistence false
            persistence_location {data}/
            log_dest none
            max_queued_messages 1000000
            listener {Port} 127.0.0.1
            cafile {CaPath}
            certfile {File("server.pem")}
            keyfile {File("server.key")}
            require_certificate true
            use_identity_as_username true
            tls_version tlsv1.2

            """));
        _mosquitto = Process.Start(new ProcessStartInfo("/usr/sbin/mosquitto", ["-c", conf]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("mosquitto did not start");
        for (var i = 0; i < 500; i++)
        {
            try
            {
                using var tcp = new TcpClient();
                tcp.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(10);
            }
        }

        throw new InvalidOperationException("mosquitto did not listen");
    }

    public UplinkOptions GatewayOptions() => new()
    {
        OperatorId = "bench",
        GatewayId = "gw-bench",
        BrokerHost = "127.0.0.1",
        TargetHost = "localhost",
        BrokerPort = Port,
        CaCertificatePath = CaPath,
        ClientCertificatePath = File("client.pem"),
        ClientKeyPath = File("client.key"),
        BacklogDrainRate = 1_000_000,
        MaxInFlight = 64,
        ReconnectInitialDelay = TimeSpan.FromMilliseconds(100),
        ReconnectMaxDelay = TimeSpan.FromSeconds(1),
    };

    /// <summary>Fills an outbox at <paramref name="path"/> with <paramref name="count"/> summaries of about 300 bytes.</summary>
    public static async Task FillAsync(string path, int count)
    {
        await using var outbox = Outbox.Open(new OutboxOptions { DatabasePath = path, MaxOutboxBytes = 4L << 30 });
        var body = System.Text.Encoding.UTF8.GetBytes("{\"flight\":\"EZY8421\",\"egtMarginC\":41.5,\"n1VibIps\":0.42,\"exceedances\":[],\"quality\":{\"parityErrors\":0,\"gaps\":0,\"padding\":\"" + new string('x', 160) + "\"}}");
        const int Concurrency = 512;
        var pending = new List<Task>(Concurrency);
        for (var i = 0; i < count; i++)
        {
            pending.Add(outbox.EnqueueAsync(new UplinkMessage((MessageClass)(i % 3), "G-EZAB", ["ESN-892310", "ESN-892311"], body)));
            if (pending.Count == Concurrency)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending);
    }

    public void Dispose()
    {
        if (_mosquitto is { HasExited: false })
        {
            _mosquitto.Kill();
            _mosquitto.WaitForExit();
        }

        _mosquitto?.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }

    private void Issue(X509Certificate2 ca, string cn, bool server, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={cn}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        using var cert = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), serial);
        System.IO.File.WriteAllText(File(name + ".pem"), cert.ExportCertificatePem());
        System.IO.File.WriteAllText(File(name + ".key"), key.ExportPkcs8PrivateKeyPem());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
