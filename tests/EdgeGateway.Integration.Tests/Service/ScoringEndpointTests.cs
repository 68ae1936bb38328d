using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EdgeGateway.Api;
using EdgeGateway.Landing;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeGateway.Integration.Tests.Service;

/// <summary>The scoring endpoint against the shipped model packages (loaded as the service loads them).</summary>
public class ScoringEndpointTests(LocalApiFixture fixture) : IClassFixture<LocalApiFixture>
{
    private InProcessGateway Gateway => fixture.Gateway;

    private async Task<HttpResponseMessage> PostAsync(string body, string? key = InProcessGateway.ApiKey)
    {
        for (int attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/score") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (key is not null)
            {
                request.Headers.Add(LocalApi.ApiKeyHeader, key);
            }

            var r = await Gateway.Http.SendAsync(request);
            if (r.StatusCode != HttpStatusCode.TooManyRequests || attempt > 100)
            {
                return r;
            }

            r.Dispose();
            await Task.Delay(50);
        }
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
    public async Task Score_ShippedPackage_WildWindowScoresAboveThresholdAndAboveTypical()
    {
        var package = Gateway.Services.GetRequiredService<AnalysisSetup>().Models?.Anomaly;
        if (package is null)
        {
            // The shipped anomaly package is refused (unsigned): the endpoint must say so, not fail.
            using var none = await PostAsync(Window(1, 1, (_, _) => 0));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, none.StatusCode);
            Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
            return;
        }

        var m = package.Manifest;
        int length = m.Input.WindowLength, channels = m.Input.Channels.Count;
        var mean = m.Scaler.ChannelMean[0];
        var std = m.Scaler.ChannelStd[0];

        // A typical window: each channel near its training mean with a little movement.
        using var normal = await PostAsync(Window(length, channels, (r, c) => mean[c] + (0.1 * std[c] * Math.Sin(r + c))));
        Assert.Equal(HttpStatusCode.OK, normal.StatusCode);
        var quiet = await normal.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(package.Id, quiet.GetProperty("model").GetString());
        Assert.Equal(m.Decision!.Threshold, quiet.GetProperty("threshold").GetDouble());

        // Every channel 20 standard deviations off, alternating sign row by row: nothing like training data.
        using var wild = await PostAsync(Window(length, channels, (r, c) => mean[c] + ((r % 2 == 0 ? 20 : -20) * std[c])));
        var loud = await wild.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(loud.GetProperty("aboveThreshold").GetBoolean());
        Assert.True(loud.GetProperty("score").GetDouble() > quiet.GetProperty("score").GetDouble());

        using var shortWindow = await PostAsync(Window(length - 1, channels, (_, c) => mean[c]));
        Assert.Equal(HttpStatusCode.BadRequest, shortWindow.StatusCode);
        using var narrow = await PostAsync(Window(length, channels - 1, (_, c) => mean[c]));
        Assert.Equal(HttpStatusCode.BadRequest, narrow.StatusCode);
    }
}
