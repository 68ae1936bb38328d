using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeGateway.Benchmarks.Infrastructure;
using EdgeGateway.Core.Models;

namespace EdgeGateway.Benchmarks.Service;

/// <summary>
/// <c>POST /api/v1/score</c> under load on loopback: the built gateway as a child process with the
/// shipped anomaly package copied to a temp folder and signed with a throwaway ECDSA P-256 key trusted
/// only for this run (so neither the shipped package's signature nor its window shape matter: both
/// are read from what is loaded). A .NET client (<see cref="HttpClient"/> over
/// <see cref="SocketsHttpHandler"/>, HTTP/1.1 keep-alive, N connections each with one request in
/// flight) posts pre-serialised windows for a warm-up, then for a fixed time records every latency in
/// a <see cref="LatencyHistogram"/> per connection. When <c>wrk</c> is on the PATH the same windows are
/// also sent by wrk (a C client, lighter on the shared cores). Each window is sent in both body formats
/// of the endpoint: JSON (<c>dotnet-cN</c>, <c>wrk-cN</c> rows) and the binary float32 window
/// (<c>binary.dotnet-cN</c>, <c>binary.wrk-cN</c> rows). Each row reports requests per second,
/// p50/p90/p99/p99.9/max, non-200 responses by status, and where the CPU went (server, client, rest of
/// the machine, in cores).
/// Settings: <c>EDGEGATEWAY_BENCH_SCORE_CONNECTIONS</c> (comma list, default <c>16,64</c>),
/// <c>EDGEGATEWAY_BENCH_SCORE_FORMATS</c> (comma list of <c>json</c>, <c>binary</c>; default both),
/// <c>EDGEGATEWAY_BENCH_SCORE_SECONDS</c> (default 10), <c>EDGEGATEWAY_BENCH_EXE</c> (see <see cref="GatewayChild"/>).
/// </summary>
public sealed class ScoringLoadQuickBenchmark : IQuickBenchmark
{
    private const string ApiKey = "bench-scoring-key";
    private const int DistinctWindows = 64;
    private static readonly TimeSpan s_warmUp = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public IEnumerable<QuickResult> Run()
    {
        int[] connections = [.. (Environment.GetEnvironmentVariable("EDGEGATEWAY_BENCH_SCORE_CONNECTIONS") ?? "16,64")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(x => int.Parse(x, CultureInfo.InvariantCulture))];
        string[] formats = (Environment.GetEnvironmentVariable("EDGEGATEWAY_BENCH_SCORE_FORMATS") ?? "json,binary")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var duration = TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable("EDGEGATEWAY_BENCH_SCORE_SECONDS") ?? "10", CultureInfo.InvariantCulture));

        using var package = SignedPackage.Create();
        var windows = package.Windows(DistinctWindows);
        var bodies = new Dictionary<string, Body>(StringComparer.Ordinal)
        {
            ["json"] = new Body("application/json", "", [.. windows.Select(SignedPackage.Json)]),
            ["binary"] = new Body("application/octet-stream", "binary.", [.. windows.Select(SignedPackage.Binary)]),
        };
        var selected = formats.Select(f => bodies.TryGetValue(f, out var b) ? b : throw new ArgumentException($"EDGEGATEWAY_BENCH_SCORE_FORMATS: unknown format '{f}' (json, binary)")).ToArray();
        using var child = GatewayChild.Start(
            "--Api:ApiKey=" + ApiKey,
            "--Analysis:Models=" + package.ModelsFolder,
            "--Analysis:TrustedKeys=" + package.KeysFolder,
            // One landing at start (1.5 h at 600x, reported before the load starts), then the aircraft
            // stays parked: the measurement is the endpoint, not the endpoint beside a landing.
            "--Simulator:RepeatLandings=0");
        Dictionary<string, double> Shape(Body body) => new()
        {
            ["windowLength"] = package.WindowLength,
            ["channels"] = package.Channels,
            ["bodyBytes"] = body.Bodies.Average(b => b.Length),
        };

        WaitForLandingReported(child.BaseUrl);
        foreach (var body in selected)
        {
            CheckScored(child.BaseUrl, body);
        }

        foreach (var body in selected)
        {
            foreach (int c in connections)
            {
                yield return DotnetClient(child, body, c, duration, Shape(body));
            }
        }

        if (Wrk.Available)
        {
            foreach (var body in selected)
            {
                foreach (int c in connections)
                {
                    yield return Wrk.Run(child, body, c, duration, ApiKey, Shape(body));
                }
            }
        }
        else
        {
            Console.Error.WriteLine("wrk not on PATH (Debian package 'wrk'): wrk rows skipped");
        }
    }

    /// <summary>The start-up landing's analysis is done (its CPU would be counted as the endpoint's).</summary>
    private static void WaitForLandingReported(string baseUrl)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var until = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < until)
        {
            using var status = JsonDocument.Parse(http.GetStringAsync("/api/v1/status").GetAwaiter().GetResult());
            if (status.RootElement.GetProperty("sessionsReported").GetInt32() > 0)
            {
                return;
            }

            Thread.Sleep(200);
        }

        throw new InvalidOperationException("the start-up landing was not reported within 120 s");
    }

    /// <summary>One request before the load: the package must have loaded (200 with a score), not 503.</summary>
    private static void CheckScored(string baseUrl, Body body)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        using var request = Post(body.Bodies[0], body.MediaType);
        using var response = http.Send(request);
        string text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"scoring endpoint answered {(int)response.StatusCode}: {text}");
        }

        Console.Error.WriteLine($"scoring endpoint ({body.MediaType}): {text}");
    }

    private static HttpRequestMessage Post(byte[] body, string mediaType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/score") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        request.Headers.TryAddWithoutValidation("X-Api-Key", ApiKey);
        return request;
    }

    private static QuickResult DotnetClient(GatewayChild child, Body body, int connections, TimeSpan duration, Dictionary<string, double> shape)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(child.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        var histograms = new LatencyHistogram[connections];
        var statuses = new long[connections][];
        var failures = new long[connections];
        long measureFrom = long.MaxValue, measureTo = long.MaxValue;
        var stop = new CancellationTokenSource();

        async Task Worker(int w)
        {
            var histogram = histograms[w] = new LatencyHistogram();
            var status = statuses[w] = new long[600];
            var sink = new byte[4096];
            int next = w;
            while (!stop.IsCancellationRequested)
            {
                using var request = Post(body.Bodies[next++ % body.Bodies.Length], body.MediaType);
                long t0 = Stopwatch.GetTimestamp();
                int code;
                try
                {
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                    await using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                    while (await stream.ReadAsync(sink).ConfigureAwait(false) > 0)
                    {
                    }

                    code = (int)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    code = -1;
                }

                long t1 = Stopwatch.GetTimestamp();
                if (t0 >= Volatile.Read(ref measureFrom) && t1 <= Volatile.Read(ref measureTo))
                {
                    histogram.Record(t1 - t0);
                    if (code < 0)
                    {
                        failures[w]++;
                    }
                    else
                    {
                        status[Math.Min(code, status.Length - 1)]++;
                    }
                }
            }
        }

        var workers = Enumerable.Range(0, connections).Select(w => Task.Run(() => Worker(w))).ToArray();
        Thread.Sleep(s_warmUp);
        var cpu = CpuSplit.Start(child);
        Volatile.Write(ref measureFrom, Stopwatch.GetTimestamp());
        Thread.Sleep(duration);
        Volatile.Write(ref measureTo, Stopwatch.GetTimestamp());
        var split = cpu.Stop();
        stop.Cancel();
        Task.WaitAll(workers);

        var all = new LatencyHistogram();
        foreach (var h in histograms)
        {
            all.Add(h);
        }

        double seconds = (measureTo - measureFrom) / (double)Stopwatch.Frequency;
        var extra = Figures(all, connections, split, shape);
        long errors = failures.Sum();
        extra["connectionErrors"] = errors;
        for (int code = 0; code < 600; code++)
        {
            long n = statuses.Sum(s => s[code]);
            if (code != 200 && n > 0)
            {
                extra["status" + code.ToString(CultureInfo.InvariantCulture)] = n;
                errors += n;
            }
        }

        extra["errors"] = errors;
        return new QuickResult("service.api.score-load." + body.RowPrefix + "dotnet-c" + connections.ToString(CultureInfo.InvariantCulture), "requestsPerSecond", all.Count / seconds, 0, extra);
    }

    private static Dictionary<string, double> Figures(LatencyHistogram h, int connections, CpuSplit.Result cpu, Dictionary<string, double> shape)
    {
        var d = new Dictionary<string, double>(shape)
        {
            ["connections"] = connections,
            ["requests"] = h.Count,
            ["p50Ms"] = h.MillisecondsAt(0.50),
            ["p90Ms"] = h.MillisecondsAt(0.90),
            ["p99Ms"] = h.MillisecondsAt(0.99),
            ["p999Ms"] = h.MillisecondsAt(0.999),
            ["maxMs"] = h.Max * 1000.0 / Stopwatch.Frequency,
        };
        cpu.AddTo(d);
        return d;
    }

    /// <summary>
    /// CPU used during a measurement, in cores (CPU seconds per wall second): the gateway, the client
    /// (this process plus the child processes it has reaped, i.e. wrk), and everything else on the
    /// machine (other users of the shared VM).
    /// </summary>
    private static class CpuSplit
    {
        private const int RusageChildren = -1;

        public static Started Start(GatewayChild child) => new(child, child.CpuTime(), ClientTime(), MachineBusy(), Stopwatch.GetTimestamp());

        private static TimeSpan ClientTime()
        {
            // struct rusage starts with ru_utime and ru_stime (two timevals: seconds, microseconds).
            long[] usage = new long[18];
            long children = getrusage(RusageChildren, usage) == 0 ? ((usage[0] + usage[2]) * 1_000_000) + usage[1] + usage[3] : 0;
            return Process.GetCurrentProcess().TotalProcessorTime + TimeSpan.FromMicroseconds(children);
        }

        [System.Runtime.InteropServices.DllImport("libc")]
        private static extern int getrusage(int who, [System.Runtime.InteropServices.Out] long[] usage);

        // Busy = every /proc/stat cpu column except idle and iowait, in USER_HZ ticks (100 per second on Linux).
        private static (double Busy, double Steal) MachineBusy()
        {
            string[] f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long[] v = [.. f.Skip(1).Take(8).Select(x => long.Parse(x, CultureInfo.InvariantCulture))];
            // user nice system idle iowait irq softirq steal
            return ((v[0] + v[1] + v[2] + v[5] + v[6]) / 100.0, v[7] / 100.0);
        }

        public sealed record Started(GatewayChild Child, TimeSpan Server, TimeSpan Client, (double Busy, double Steal) Machine, long At)
        {
            public Result Stop()
            {
                double wall = Stopwatch.GetElapsedTime(At).TotalSeconds;
                double server = (Child.CpuTime() - Server).TotalSeconds / wall;
                double client = (ClientTime() - Client).TotalSeconds / wall;
                var now = MachineBusy();
                double busy = (now.Busy - Machine.Busy) / wall;
                return new Result(server, client, Math.Max(0, busy - server - client), (now.Steal - Machine.Steal) / wall);
            }
        }

        public sealed record Result(double Server, double Client, double Other, double Steal)
        {
            public void AddTo(Dictionary<string, double> d)
            {
                d["serverCpuCores"] = Server;
                d["clientCpuCores"] = Client;
                d["otherCpuCores"] = Other;
                d["stealCpuCores"] = Steal;
            }
        }
    }

    /// <summary>The same windows sent by <c>wrk</c> (a Lua script cycles through them), its report parsed.</summary>
    private static class Wrk
    {
        public static bool Available { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "wrk")));

        public static QuickResult Run(GatewayChild child, Body body, int connections, TimeSpan duration, string key, Dictionary<string, double> shape)
        {
            string dir = Directory.CreateTempSubdirectory("eg-wrk-").FullName;
            try
            {
                string script = Path.Combine(dir, "score.lua");
                var lua = new StringBuilder();
                lua.Append("local bodies = {\n");
                foreach (var b in body.Bodies)
                {
                    AppendLuaString(lua, b);
                    lua.Append(",\n");
                }

                lua.Append("}\nlocal requests = {}\nlocal i = 0\n");
                lua.Append("init = function(args)\n  for k, b in ipairs(bodies) do\n");
                lua.Append(CultureInfo.InvariantCulture, $"    requests[k] = wrk.format(\"POST\", \"/api/v1/score\", {{[\"Content-Type\"] = \"{body.MediaType}\", [\"X-Api-Key\"] = \"{key}\"}}, b)\n");
                lua.Append("  end\nend\nrequest = function()\n  i = i % #requests + 1\n  return requests[i]\nend\n");
                File.WriteAllText(script, lua.ToString());

                // Warm-up run, then the measured one.
                RunWrk(child.BaseUrl, script, connections, s_warmUp);
                var cpu = CpuSplit.Start(child);
                string output = RunWrk(child.BaseUrl, script, connections, duration);
                var split = cpu.Stop();
                Console.Error.WriteLine(output);
                return Parse(output, body.RowPrefix, connections, split, shape);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        private static string RunWrk(string url, string script, int connections, TimeSpan duration)
        {
            var psi = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string a in new[] { "-t2", "-c" + connections.ToString(CultureInfo.InvariantCulture), "-d" + ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s", "--latency", "-s", script, url })
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return output;
        }

        // A Lua string literal holding any bytes: printable ASCII as is, everything else as a decimal
        // escape (\ddd, three digits so a following digit is not read into it).
        private static void AppendLuaString(StringBuilder lua, byte[] bytes)
        {
            lua.Append('"');
            foreach (byte b in bytes)
            {
                if (b is >= 0x20 and < 0x7f && b != (byte)'"' && b != (byte)'\\')
                {
                    lua.Append((char)b);
                }
                else
                {
                    lua.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
                }
            }

            lua.Append('"');
        }

        private static QuickResult Parse(string output, string rowPrefix, int connections, CpuSplit.Result cpu, Dictionary<string, double> shape)
        {
            var d = new Dictionary<string, double>(shape) { ["connections"] = connections };
            double rate = 0;
            foreach (string raw in output.Split('\n'))
            {
                string[] f = raw.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length == 2 && f[0] is "50%" or "75%" or "90%" or "99%")
                {
                    d["p" + f[0].TrimEnd('%') + "Ms"] = Milliseconds(f[1]);
                }
                else if (f.Length >= 2 && f[0] == "Requests/sec:")
                {
                    rate = double.Parse(f[1], CultureInfo.InvariantCulture);
                }
                else if (f.Length >= 4 && f[0] == "Latency" && f[1] != "Distribution")
                {
                    d["maxMs"] = Milliseconds(f[3]);
                }
                else if (raw.Contains("Non-2xx or 3xx responses:", StringComparison.Ordinal))
                {
                    d["errors"] = double.Parse(f[^1], CultureInfo.InvariantCulture);
                }
                else if (raw.Contains("Socket errors:", StringComparison.Ordinal))
                {
                    d["socketErrors"] = f.Where(x => x.EndsWith(',') || char.IsDigit(x[0])).Select(x => double.TryParse(x.TrimEnd(','), CultureInfo.InvariantCulture, out double v) ? v : 0).Sum();
                }
            }

            d.TryAdd("errors", 0);
            cpu.AddTo(d);
            return new QuickResult("service.api.score-load." + rowPrefix + "wrk-c" + connections.ToString(CultureInfo.InvariantCulture), "requestsPerSecond", rate, 0, d);
        }

        // wrk prints "812.00us", "1.23ms", "2.01s".
        private static double Milliseconds(string s) =>
            s.EndsWith("us", StringComparison.Ordinal) ? double.Parse(s[..^2], CultureInfo.InvariantCulture) / 1000
            : s.EndsWith("ms", StringComparison.Ordinal) ? double.Parse(s[..^2], CultureInfo.InvariantCulture)
            : s.EndsWith('m') ? double.Parse(s[..^1], CultureInfo.InvariantCulture) * 60_000
            : double.Parse(s[..^1], CultureInfo.InvariantCulture) * 1000;
    }

    /// <summary>
    /// The shipped <c>models/anomaly</c> package copied to a temp folder and signed with a key made for
    /// this run (its public half is the only trusted key), and windows shaped as its manifest says.
    /// </summary>
    private sealed class SignedPackage : IDisposable
    {
        private readonly string _dir;
        private readonly ModelManifest _manifest;

        private SignedPackage(string dir, ModelManifest manifest)
        {
            _dir = dir;
            _manifest = manifest;
        }

        public string ModelsFolder => Path.Combine(_dir, "models");

        public string KeysFolder => Path.Combine(_dir, "keys");

        public int WindowLength => _manifest.Input.WindowLength;

        public int Channels => _manifest.Input.Channels.Count;

        public static SignedPackage Create()
        {
            string source = Path.Combine(ServiceBenchmarkPaths.Root, "models", "anomaly");
            string dir = Directory.CreateTempSubdirectory("eg-score-load-").FullName;
            string package = Path.Combine(dir, "models", "anomaly");
            Directory.CreateDirectory(package);
            var manifest = ManifestJson.Deserialize(File.ReadAllBytes(Path.Combine(source, PackageSignature.ManifestFileName)), PackageSignature.ManifestFileName);
            foreach (string f in manifest.Files.Select(f => f.Path).Append(PackageSignature.ManifestFileName))
            {
                File.Copy(Path.Combine(source, f), Path.Combine(package, f));
            }

            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            PackageSignature.Sign(package, key);
            Directory.CreateDirectory(Path.Combine(dir, "keys"));
            File.WriteAllText(Path.Combine(dir, "keys", "bench.pem"), key.ExportSubjectPublicKeyInfoPem());
            return new SignedPackage(dir, manifest);
        }

        /// <summary>
        /// <paramref name="count"/> windows (<c>[WindowLength][Channels]</c>) in engineering units: the
        /// manifest's self-test window (a window from the training data, stored normalised) turned back
        /// into engineering units with the scaler, plus noise of 2 % of each channel's training deviation
        /// so the windows differ (values as a sensor reports them, three decimals; the binary body carries
        /// the nearest float32 of each).
        /// </summary>
        public double[][][] Windows(int count)
        {
            var rng = new Random(17);
            var mean = _manifest.Scaler.ChannelMean[0];
            var std = _manifest.Scaler.ChannelStd[0];
            var self = _manifest.SelfTest.Input;
            var windows = new double[count][][];
            for (int i = 0; i < count; i++)
            {
                windows[i] = new double[WindowLength][];
                for (int r = 0; r < WindowLength; r++)
                {
                    var row = windows[i][r] = new double[Channels];
                    for (int c = 0; c < Channels; c++)
                    {
                        double z = self[(r * Channels) + c] + (0.02 * ((2 * rng.NextDouble()) - 1));
                        row[c] = Math.Round(mean[c] + (std[c] * z), 3);
                    }
                }
            }

            return windows;
        }

        /// <summary>The JSON body <c>{"rows": [[...], ...]}</c> (each value as the shortest text that reads back as the same double).</summary>
        public static byte[] Json(double[][] window)
        {
            using var ms = new MemoryStream();
            using (var w = new Utf8JsonWriter(ms))
            {
                w.WriteStartObject();
                w.WriteStartArray("rows");
                foreach (var row in window)
                {
                    w.WriteStartArray();
                    foreach (double v in row)
                    {
                        w.WriteNumberValue(v);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            return ms.ToArray();
        }

        /// <summary>The binary body: little-endian float32, row-major.</summary>
        public static byte[] Binary(double[][] window)
        {
            int channels = window[0].Length;
            var bytes = new byte[window.Length * channels * sizeof(float)];
            for (int r = 0; r < window.Length; r++)
            {
                for (int c = 0; c < channels; c++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(((r * channels) + c) * sizeof(float)), (float)window[r][c]);
                }
            }

            return bytes;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>One body format: its media type, the prefix of its row names, and the request bodies.</summary>
    private sealed record Body(string MediaType, string RowPrefix, byte[][] Bodies);
}
