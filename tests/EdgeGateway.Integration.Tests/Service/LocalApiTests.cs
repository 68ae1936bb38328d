using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EdgeGateway.Api;
using EdgeGateway.Core.Alerts;

namespace EdgeGateway.Integration.Tests.Service;

/// <summary>One running gateway (simulated aircraft, embedded broker) for the bad-request tests.</summary>
public sealed class LocalApiFixture : IAsyncLifetime
{
    public const int RequestsPerSecond = 50;
    public const int MaxBodyBytes = 128 * 1024; // a 300 x 9 scoring window in JSON is about 60 kB

    private readonly string _dir = Directory.CreateTempSubdirectory("eg-api-").FullName;

    internal InProcessGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync() => Gateway = await InProcessGateway.StartAsync(
        Path.Combine(_dir, "data"),
        $"--Api:RequestsPerSecond={RequestsPerSecond}",
        $"--Api:MaxRequestBodyBytes={MaxBodyBytes}",
        "--Simulator:FlightDuration=00:10:00");

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

/// <summary>Bad requests to the local API get the right status and an RFC 7807 body; the service keeps serving.</summary>
public class LocalApiTests(LocalApiFixture fixture) : IClassFixture<LocalApiFixture>
{
    private InProcessGateway Gateway => fixture.Gateway;

    [Fact]
    public async Task Acknowledge_MissingKey_Unauthorized()
    {
        var alert = Gateway.Raise(2, "EGT", AlertSeverity.Caution, "ENG 2 EGT margin low: inspect");
        using var r = await Gateway.Http.PostAsync($"/api/v1/alerts/{alert.Id}/acknowledge", Json("""{"by":"x"}"""));
        await AssertProblemAsync(r, HttpStatusCode.Unauthorized);
        Assert.True(Gateway.Board.TryGet(alert.Id, out var a));
        Assert.Equal(AlertState.Raised, a!.State);
    }

    [Fact]
    public async Task Acknowledge_WrongKey_Unauthorized()
    {
        var alert = Gateway.Raise(2, "N1", AlertSeverity.Caution, "ENG 2 N1 trend: inspect");
        using var r = await SendAsync(HttpMethod.Post, $"/api/v1/alerts/{alert.Id}/acknowledge", Json("""{"by":"x"}"""), key: "not-the-key");
        await AssertProblemAsync(r, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Acknowledge_MalformedJson_BadRequest()
    {
        var alert = Gateway.Raise(1, "N2", AlertSeverity.Caution, "ENG 1 N2 trend: inspect");
        using var r = await SendAsync(HttpMethod.Post, $"/api/v1/alerts/{alert.Id}/acknowledge", Json("""{"by": "crew"""));
        await AssertProblemAsync(r, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Acknowledge_WrongFieldType_BadRequest()
    {
        var alert = Gateway.Raise(1, "FuelFlow", AlertSeverity.Caution, "ENG 1 fuel flow trend: inspect");
        using var r = await SendAsync(HttpMethod.Post, $"/api/v1/alerts/{alert.Id}/acknowledge", Json("""{"by": 12345}"""));
        await AssertProblemAsync(r, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Acknowledge_NameTooLong_BadRequest()
    {
        var alert = Gateway.Raise(1, "OilTemperature", AlertSeverity.Caution, "ENG 1 oil temperature high: inspect");
        using var r = await SendAsync(HttpMethod.Post, $"/api/v1/alerts/{alert.Id}/acknowledge", Json($$"""{"by": "{{new string('a', 65)}}"}"""));
        var problem = await AssertProblemAsync(r, HttpStatusCode.BadRequest);
        Assert.Contains("64", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Acknowledge_BodyOverLimit_PayloadTooLarge()
    {
        var alert = Gateway.Raise(2, "OilPressure", AlertSeverity.Caution, "ENG 2 oil pressure low: inspect");
        string big = $$"""{"by": "{{new string('a', LocalApiFixture.MaxBodyBytes * 4)}}"}""";
        using var r = await SendAsync(HttpMethod.Post, $"/api/v1/alerts/{alert.Id}/acknowledge", Json(big));
        await AssertProblemAsync(r, HttpStatusCode.RequestEntityTooLarge);
        Assert.True(Gateway.Board.TryGet(alert.Id, out var a));
        Assert.Equal(AlertState.Raised, a!.State);
    }

    [Fact]
    public async Task Acknowledge_NotJson_UnsupportedMediaType()
    {
        var alert = Gateway.Raise(2, "N2Vibration", AlertSeverity.Caution, "ENG 2 vibration trend: inspect");
        using var r = await SendAsync(HttpMethod.Post, $"/api/v1/alerts/{alert.Id}/acknowledge", new StringContent("by=crew", Encoding.UTF8, "text/plain"));
        await AssertProblemAsync(r, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Acknowledge_UnknownAlert_NotFound()
    {
        using var r = await SendAsync(HttpMethod.Post, "/api/v1/alerts/exc-0000000000000000/acknowledge", Json("""{"by":"x"}"""));
        await AssertProblemAsync(r, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Acknowledge_Twice_ConflictSecondTime()
    {
        var alert = Gateway.Raise(1, "N1Vibration", AlertSeverity.Caution, "ENG 1 N1 vibration: inspect");
        using (var first = await SendAsync(HttpMethod.Post, $"/api/v1/alerts/{alert.Id}/acknowledge", Json("""{"by":"x"}""")))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var second = await SendAsync(HttpMethod.Post, $"/api/v1/alerts/{alert.Id}/acknowledge", Json("""{"by":"x"}"""));
        await AssertProblemAsync(second, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Summary_Unknown_NotFound()
    {
        using var r = await Gateway.Http.GetAsync("/api/v1/summaries/nope");
        await AssertProblemAsync(r, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OpenApi_Served_ListsAcknowledge()
    {
        var doc = await Gateway.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/v1/alerts/{id}/acknowledge", out _), doc.ToString());
    }

    [Fact]
    public async Task Status_FloodBeyondRateLimit_TooManyRequestsThenServesAgain()
    {
        int tooMany = 0;
        JsonElement? problem = null;
        for (int i = 0; i < LocalApiFixture.RequestsPerSecond * 4 && tooMany == 0; i++)
        {
            using var r = await Gateway.Http.GetAsync("/api/v1/status");
            if (r.StatusCode == HttpStatusCode.TooManyRequests)
            {
                tooMany++;
                problem = await AssertProblemAsync(r, HttpStatusCode.TooManyRequests);
            }
        }

        Assert.True(tooMany > 0, "a flood of 4x the per-second budget is limited");
        Assert.Equal("Too many requests", problem!.Value.GetProperty("title").GetString());

        // The bucket refills: the service keeps serving.
        await Until.TrueAsync(
            async () =>
            {
                using var r = await Gateway.Http.GetAsync("/api/v1/status");
                return r.StatusCode == HttpStatusCode.OK;
            },
            "the API serves again once the bucket refills");
        using var health = await Gateway.Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent content, string key = InProcessGateway.ApiKey)
    {
        // The flood test may have emptied the bucket a moment ago: wait for a token, not a verdict.
        for (int attempt = 0; ; attempt++)
        {
            using var copy = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(await content.ReadAsByteArrayAsync()) };
            copy.Content.Headers.ContentType = content.Headers.ContentType;
            copy.Headers.Add(LocalApi.ApiKeyHeader, key);
            var r = await Gateway.Http.SendAsync(copy);
            if (r.StatusCode != HttpStatusCode.TooManyRequests || attempt > 100)
            {
                return r;
            }

            r.Dispose();
            await Task.Delay(50);
        }
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage r, HttpStatusCode expected)
    {
        string body = await r.Content.ReadAsStringAsync();
        Assert.True(expected == r.StatusCode, $"expected {expected}, got {r.StatusCode}: {body}");
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal); // no stack traces
        return problem;
    }
}
