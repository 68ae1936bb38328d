using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using EdgeGateway.Uplink;

namespace EdgeGateway.Benchmarks.Service;

/// <summary>
/// The built gateway as a child process under a notify socket (as systemd runs it), on a free loopback
/// port and a temp folder; <see cref="Start"/> returns once it has sent <c>READY=1</c>.
/// <c>EDGEGATEWAY_BENCH_EXE</c> names a published gateway (e.g. self-contained ReadyToRun) to run
/// instead of <c>dotnet edgegateway.dll</c>.
/// </summary>
internal sealed class GatewayChild : IDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private GatewayChild(Process process, string dir, string baseUrl, TimeSpan readyAfter)
    {
        _process = process;
        _dir = dir;
        BaseUrl = baseUrl;
        ReadyAfter = readyAfter;
    }

    /// <summary>Base address of the API, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>From <c>Process.Start</c> to <c>READY=1</c>.</summary>
    public TimeSpan ReadyAfter { get; }

    /// <summary>The child's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// Starts the gateway with the benchmarks' settings (no rate limit, warnings only, simulator
    /// playing landing after landing) and <paramref name="extra"/> <c>--Section:Key=value</c> settings after them.
    /// </summary>
    public static GatewayChild Start(params string[] extra)
    {
        string dir = Directory.CreateTempSubdirectory("eg-svc-bench-").FullName;
        string notify = Path.Combine(dir, "notify");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(notify));
        string url = "http://127.0.0.1:" + EmbeddedBroker.FindFreeLoopbackPort().ToString(CultureInfo.InvariantCulture);
        string? exe = Environment.GetEnvironmentVariable("EDGEGATEWAY_BENCH_EXE");
        var psi = new ProcessStartInfo(string.IsNullOrEmpty(exe) ? "dotnet" : exe) { WorkingDirectory = dir, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (string.IsNullOrEmpty(exe))
        {
            psi.ArgumentList.Add(ServiceBenchmarkPaths.GatewayDll);
        }

        foreach (string a in new[]
        {
            "--Api:Urls:0=" + url,
            "--Api:RequestsPerSecond=1000000",
            "--Uplink:EmbeddedBrokerPort=" + EmbeddedBroker.FindFreeLoopbackPort().ToString(CultureInfo.InvariantCulture),
            "--Gateway:DataFolder=" + Path.Combine(dir, "data"),
            "--Simulator:RepeatLandings=1000",
            "--Logging:LogLevel:Default=Warning",
        }.Concat(extra))
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["NOTIFY_SOCKET"] = notify;
        var sw = Stopwatch.StartNew();
        var process = Process.Start(psi)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var buffer = new byte[256];
        socket.ReceiveTimeout = 60_000;
        while (Encoding.UTF8.GetString(buffer, 0, socket.Receive(buffer)) != "READY=1")
        {
        }

        return new GatewayChild(process, dir, url, sw.Elapsed);
    }

    /// <summary>Resident set size from <c>/proc/PID/status</c>.</summary>
    public long RssBytes()
    {
        foreach (string line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    /// <summary>User plus system CPU time of the child so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public void Dispose()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
