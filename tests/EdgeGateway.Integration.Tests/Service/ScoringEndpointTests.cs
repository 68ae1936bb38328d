using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EdgeGateway.Api;
using EdgeGateway.Integration.Tests.Inference;
using EdgeGateway.Landing;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeGateway.Integration.Tests.Service;

/// <summary>
/// The scoring endpoint against the shipped model packages (loaded as the service loads them), and
/// against the shipped anomaly package signed for the run (<see cref="SignedScoringFixture"/>).
/// </summary>
public class ScoringEndpointTests(LocalApiFixture fixture, SignedScoringFixture signedFixture) : IClassFixture<LocalApiFixture>, IClassFixture<SignedScoringFixture>
{
    private const int DistinctWindows = 48;
    private const int Threads = 8;

    // Batched calls may sum in another order than a one-window call: scores agree to float rounding, not bit for bit.
    private const double RelativeTolerance = 1e-5;

    // The options minimal APIs read bodies with.
    private static readonly JsonSerializerOptions s_web = new(JsonSerializerDefaults.Web);

    private InProcessGateway Gateway => fixture.Gateway;

    private Task<HttpResponseMessage> PostAsync(string body, string? key = InProcessGateway.ApiKey) => PostAsync(Gateway, body, key);

    private static async Task<HttpResponseMessage> PostAsync(InProcessGateway gateway, string body, string? key = InProcessGateway.ApiKey, string mediaType = "application/json")
    {
        for (int attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/score") { Content = new StringContent(body, Encoding.UTF8, mediaType) };
            if (key is not null)
            {
                request.Headers.Add(LocalApi.ApiKeyHeader, key);
            }

            var r = await gateway.Http.SendAsync(request);
            if (r.StatusCode != HttpStatusCode.TooManyRequests || attempt > 100)
            {
                return r;
            }

            r.Dispose();
            await Task.Delay(50);
        }
    }

    private static async Task<HttpResponseMessage> PostBinaryAsync(InProcessGateway gateway, byte[] body, string mediaType = ScoringEndpoint.BinaryMediaType)
    {
        for (int attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/score") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
            request.Headers.Add(LocalApi.ApiKeyHeader, InProcessGateway.ApiKey);
            var r = await gateway.Http.SendAsync(request);
            if (r.StatusCode != HttpStatusCode.TooManyRequests || attempt > 100)
            {
                return r;
            }

            r.Dispose();
            await Task.Delay(50);
        }
    }

    // The binary window: little-endian float32, row-major.
    private static byte[] Binary(float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return bytes;
    }

    private (EdgeGateway.Core.Models.ModelManifest Manifest, int Length, int Channels) SignedManifest()
    {
        var package = signedFixture.Gateway.Services.GetRequiredService<AnalysisSetup>().Models?.Anomaly;
        Assert.NotNull(package);
        var m = package.Manifest;
        return (m, m.Input.WindowLength, m.Input.Channels.Count);
    }

    private static string Window(int rows, int channels, Func<int, int, double> value) =>
        JsonSerializer.Serialize(new { rows = Enumerable.Range(0, rows).Select(r => Enumerable.Range(0, channels).Select(c => value(r, c)).ToArray()).ToArray() });

    [Fact]
    public async Task Score_MissingKey_Unauthorized()
    {
        using var r = await PostAsync(Window(1, 1, (_, _) => 0), key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Score_MalformedJsonOrNotJson_BadRequestOrUnsupportedMediaType()
    {
        using var malformed = await PostAsync("{\"rows\": [[1, 2], [3,");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
        using var text = await PostAsync(Gateway, "rows", mediaType: "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal("application/problem+json", text.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Score_BodyOverLimit_RequestEntityTooLarge()
    {
        string body = Window(3000, 9, (r, c) => 1000.123 + r + c);
        Assert.True(Encoding.UTF8.GetByteCount(body) > LocalApiFixture.MaxBodyBytes);
        using var r = await PostAsync(body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Score_NoAnomalyPackage_ServiceUnavailable()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("models"));
        Directory.CreateDirectory(dir.File("keys"));
        await using var gateway = await InProcessGateway.StartAsync(dir.File("data"), $"--Analysis:Models={dir.File("models")}", $"--Analysis:TrustedKeys={dir.File("keys")}", "--Simulator:FlightDuration=00:05:00");
        using var r = await PostAsync(gateway, Window(1, 1, (_, _) => 0));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        using var binary = await PostBinaryAsync(gateway, new byte[4]);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, binary.StatusCode);
        Assert.Equal("application/problem+json", binary.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Score_ShippedPackage_WildWindowScoresAboveThresholdAndAboveTypical()
    {
        // The shipped package signed for the run: loaded whether or not the shipped copy is signed.
        var gateway = signedFixture.Gateway;
        var package = gateway.Services.GetRequiredService<AnalysisSetup>().Models?.Anomaly;
        Assert.NotNull(package);

        var m = package.Manifest;
        int length = m.Input.WindowLength, channels = m.Input.Channels.Count;
        var mean = m.Scaler.ChannelMean[0];
        var std = m.Scaler.ChannelStd[0];

        // A typical window: each channel near its training mean with a little movement.
        using var normal = await PostAsync(gateway, Window(length, channels, (r, c) => mean[c] + (0.1 * std[c] * Math.Sin(r + c))));
        Assert.Equal(HttpStatusCode.OK, normal.StatusCode);
        var quiet = await normal.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(package.Id, quiet.GetProperty("model").GetString());
        Assert.Equal(m.Decision!.Threshold, quiet.GetProperty("threshold").GetDouble());

        // Every channel 20 standard deviations off, alternating sign row by row: nothing like training data.
        using var wild = await PostAsync(gateway, Window(length, channels, (r, c) => mean[c] + ((r % 2 == 0 ? 20 : -20) * std[c])));
        var loud = await wild.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(loud.GetProperty("aboveThreshold").GetBoolean());
        Assert.True(loud.GetProperty("score").GetDouble() > quiet.GetProperty("score").GetDouble());

        using var shortWindow = await PostAsync(gateway, Window(length - 1, channels, (_, c) => mean[c]));
        Assert.Equal(HttpStatusCode.BadRequest, shortWindow.StatusCode);
        using var narrow = await PostAsync(gateway, Window(length, channels - 1, (_, c) => mean[c]));
        Assert.Equal(HttpStatusCode.BadRequest, narrow.StatusCode);
    }

    [Fact]
    public async Task ScoreBinary_SameFloatValuesAsJson_SameScore()
    {
        var (m, length, channels) = SignedManifest();
        var mean = m.Scaler.ChannelMean[0];
        var std = m.Scaler.ChannelStd[0];

        // Values a float32 can hold exactly; the JSON carries the same values as doubles.
        var values = new float[length * channels];
        for (int r = 0; r < length; r++)
        {
            for (int c = 0; c < channels; c++)
            {
                values[(r * channels) + c] = (float)(mean[c] + (0.7 * std[c] * Math.Sin((0.3 * r) + c)));
            }
        }

        using var binary = await PostBinaryAsync(signedFixture.Gateway, Binary(values));
        Assert.Equal(HttpStatusCode.OK, binary.StatusCode);
        var fromBinary = await binary.Content.ReadFromJsonAsync<JsonElement>();
        double jsonScore = await ScoreSignedAsync(Window(length, channels, (r, c) => values[(r * channels) + c]));

        Assert.Equal(jsonScore, fromBinary.GetProperty("score").GetDouble());
        Assert.Equal(m.Decision!.Threshold, fromBinary.GetProperty("threshold").GetDouble());
        Assert.Equal(m.Input.Channels, fromBinary.GetProperty("channels").EnumerateArray().Select(x => x.GetString()));
    }

    [Fact]
    public async Task ScoreBinary_WrongByteCount_BadRequestNamingTheExpectedSize()
    {
        var (_, length, channels) = SignedManifest();
        int expected = length * channels * sizeof(float);
        foreach (int size in new[] { 0, expected - sizeof(float), expected + 1 })
        {
            using var r = await PostBinaryAsync(signedFixture.Gateway, new byte[size]);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            string detail = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
            Assert.Contains(expected.ToString(CultureInfo.InvariantCulture) + " bytes", detail, StringComparison.Ordinal);
            Assert.Contains($"{length} rows x {channels} channels", detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ScoreBinary_NaNOrInfinity_BadRequestNamingRowAndChannel()
    {
        var (m, length, channels) = SignedManifest();
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity })
        {
            var values = new float[length * channels];
            values[(5 * channels) + 3] = bad;
            using var r = await PostBinaryAsync(signedFixture.Gateway, Binary(values));
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            string detail = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
            Assert.Contains($"row 5 channel 3 ({m.Input.Channels[3]})", detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ScoreBinary_OtherMediaType_UnsupportedMediaType()
    {
        var (_, length, channels) = SignedManifest();
        using var r = await PostBinaryAsync(signedFixture.Gateway, new byte[length * channels * sizeof(float)], "application/x-float32");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ScoreBinary_BodyOverLimit_RequestEntityTooLarge()
    {
        using var r = await PostBinaryAsync(Gateway, new byte[LocalApiFixture.MaxBodyBytes + 4]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OpenApi_ScoreWindow_AcceptsJsonAndOctetStream()
    {
        using var r = await Gateway.Http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var doc = await r.Content.ReadFromJsonAsync<JsonElement>();
        var content = doc.GetProperty("paths").GetProperty("/api/v1/score").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.True(content.TryGetProperty("application/json", out _));
        Assert.True(content.TryGetProperty(ScoringEndpoint.BinaryMediaType, out var binary));
        Assert.Equal("binary", binary.GetProperty("schema").GetProperty("format").GetString());
    }

    [Fact]
    public void WindowRowsConverter_NumbersAsSensorsWriteThemAndOthers_SameDoublesAsTheGeneralParser()
    {
        var rng = new Random(11);
        var texts = new List<string> { "0", "-0", "-0.0", "0.1", "0.3", "123456789012345", "1234567890123456", "0.000000000000001", "1e3", "-2.5E-3", "999999999999999.9", "4.35" };
        for (int i = 0; i < 20_000; i++)
        {
            double magnitude = Math.Pow(10, rng.Next(-6, 10));
            double x = (rng.NextDouble() - 0.5) * magnitude;
            texts.Add(Math.Round(x, rng.Next(0, 10)).ToString("R", CultureInfo.InvariantCulture));
            texts.Add(x.ToString("R", CultureInfo.InvariantCulture));
        }

        var rows = texts.Chunk(9).ToArray();
        string json = "{\"rows\":[" + string.Join(",", rows.Select(r => "[" + string.Join(",", r) + "]")) + "]}";
        var parsed = JsonSerializer.Deserialize<ScoreRequest>(json, s_web)!.Rows!;

        Assert.Equal(rows.Length, parsed.Length);
        for (int r = 0; r < rows.Length; r++)
        {
            Assert.Equal(rows[r].Length, parsed[r].Length);
            for (int c = 0; c < rows[r].Length; c++)
            {
                double expected = double.Parse(rows[r][c], NumberStyles.Float, CultureInfo.InvariantCulture);
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(parsed[r][c]), $"'{rows[r][c]}' read as {parsed[r][c]:R}, expected {expected:R}");
            }
        }
    }

    [Fact]
    public async Task Score_ConcurrentRequestsFromSeveralThreads_EachGetsTheScoreOfItsOwnWindow()
    {
        var package = signedFixture.Gateway.Services.GetRequiredService<AnalysisSetup>().Models?.Anomaly;
        Assert.NotNull(package);
        var m = package.Manifest;
        int length = m.Input.WindowLength, channels = m.Input.Channels.Count;
        var mean = m.Scaler.ChannelMean[0];
        var std = m.Scaler.ChannelStd[0];

        // Window k swings every channel by k/8 of its training deviation: distinct windows, distinct scores.
        var bodies = Enumerable.Range(0, DistinctWindows)
            .Select(k => JsonSerializer.Serialize(new { rows = Enumerable.Range(0, length).Select(r => Enumerable.Range(0, channels).Select(c => mean[c] + (std[c] * (k / 8.0) * Math.Sin((0.7 * r) + c))).ToArray()).ToArray() }))
            .ToArray();

        var alone = new double[DistinctWindows];
        for (int k = 0; k < DistinctWindows; k++)
        {
            alone[k] = await ScoreSignedAsync(bodies[k]);
        }

        var sorted = alone.Order().ToArray();
        for (int i = 1; i < sorted.Length; i++)
        {
            Assert.True(sorted[i] - sorted[i - 1] > 100 * RelativeTolerance * Math.Abs(sorted[i]), $"windows must score apart for the test to tell them apart: {sorted[i - 1]:R} and {sorted[i]:R}");
        }

        // Each thread sends every window in its own order; rounds repeat until windows of different
        // requests have shared a call (normally the first round does).
        var batcher = signedFixture.Gateway.Services.GetRequiredService<ScoringBatchers>().For(package);
        long callsBefore = batcher.Calls, windowsBefore = batcher.Windows;
        int mismatches = 0, checkedScores = 0;
        var wrong = new System.Collections.Concurrent.ConcurrentQueue<string>();
        for (int round = 0; round < 20 && (round == 0 || batcher.Windows - windowsBefore == batcher.Calls - callsBefore); round++)
        {
            await Task.WhenAll(Enumerable.Range(0, Threads).Select(t => Task.Run(async () =>
            {
                var order = Enumerable.Range(0, DistinctWindows).OrderBy(k => ((k * 7919) + (t * 104729)) % 97).ToArray();
                foreach (int k in order)
                {
                    double score = await ScoreSignedAsync(bodies[k]);
                    Interlocked.Increment(ref checkedScores);
                    if (Math.Abs(score - alone[k]) > RelativeTolerance * Math.Abs(alone[k]))
                    {
                        Interlocked.Increment(ref mismatches);
                        wrong.Enqueue($"window {k}: {score:R}, alone {alone[k]:R}");
                    }
                }
            })));
        }

        Assert.True(mismatches == 0, $"{mismatches} of {checkedScores} scores differ from the window's own: {string.Join("; ", wrong.Take(5))}");
        Assert.True(batcher.Windows - windowsBefore > batcher.Calls - callsBefore, "concurrent windows shared ONNX Runtime calls at least once");
    }

    private async Task<double> ScoreSignedAsync(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/score") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(LocalApi.ApiKeyHeader, InProcessGateway.ApiKey);
        using var r = await signedFixture.Gateway.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("score").GetDouble();
    }
}

/// <summary>The gateway with the shipped anomaly package signed by a key made for the run (trusted only by this gateway), and no rate limit in the way.</summary>
public sealed class SignedScoringFixture : IAsyncLifetime, IDisposable
{
    private readonly TempDir _dir = new();

    internal InProcessGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        string models = ReplayAnalysisTests.SignedAnomaly(_dir);
        Gateway = await InProcessGateway.StartAsync(
            _dir.File("data"),
            $"--Analysis:Models={models}",
            $"--Analysis:TrustedKeys={_dir.File("keys")}",
            "--Api:RequestsPerSecond=100000",
            "--Simulator:FlightDuration=00:05:00");
    }

    public async Task DisposeAsync() => await Gateway.DisposeAsync();

    public void Dispose() => _dir.Dispose();
}
