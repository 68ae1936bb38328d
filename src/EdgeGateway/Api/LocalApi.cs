using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using EdgeGateway.Core.Alerts;
using EdgeGateway.Core.Summaries;
using EdgeGateway.Hosting;
using EdgeGateway.Sessions;
using EdgeGateway.Uplink;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Api;

/// <summary>Body of an acknowledge request.</summary>
/// <param name="By">Who acknowledges (shown on the alert).</param>
/// <param name="Via">"crew-page" when sent by the crew page; anything else counts as the local API.</param>
public sealed record AcknowledgeRequest(string? By, string? Via = null);

/// <summary>The gateway's status as the local API reports it.</summary>
/// <param name="Tail">Aircraft registration.</param>
/// <param name="EngineCount">Engines of the aircraft type.</param>
/// <param name="State">Landing state (idle, receiving, processing, reported).</param>
/// <param name="Session">Current session id, if any.</param>
/// <param name="SessionsReported">Sessions reported since start.</param>
/// <param name="PipelineHealthy">The landing pipeline is making progress.</param>
/// <param name="UplinkConnected">Connected to the broker.</param>
/// <param name="OutboxDepth">Messages waiting per class.</param>
/// <param name="OutboxDropped">Messages dropped per class at the disk budget.</param>
/// <param name="ActiveAlerts">Active alerts.</param>
/// <param name="UnacknowledgedCrewAlerts">Crew alerts not yet acknowledged.</param>
public sealed record GatewayStatusDocument(
    string Tail,
    int EngineCount,
    string State,
    string? Session,
    int SessionsReported,
    bool PipelineHealthy,
    bool UplinkConnected,
    IReadOnlyDictionary<string, long> OutboxDepth,
    IReadOnlyDictionary<string, long> OutboxDropped,
    int ActiveAlerts,
    int UnacknowledgedCrewAlerts);

/// <summary>One entry of the recent-summaries list.</summary>
/// <param name="Id">Session id.</param>
/// <param name="Tail">Aircraft.</param>
/// <param name="StartUtc">Start.</param>
/// <param name="Words">Words received.</param>
/// <param name="Engines">Engine serials.</param>
public sealed record SummaryListItem(string Id, string Tail, DateTimeOffset StartUtc, long Words, IReadOnlyList<string?> Engines);

/// <summary>The signal behind an alert: raw and conditioned, on the 1 s grid.</summary>
/// <param name="AlertId">The alert.</param>
/// <param name="Channel">Channel shown (e.g. "ENG2 N2Vibration").</param>
/// <param name="Unit">Unit of the values.</param>
/// <param name="PeriodSeconds">Spacing of the points.</param>
/// <param name="FirstGridIndex">Adapter-clock second of the first point.</param>
/// <param name="Raw">Last decoded value in each second; null where none.</param>
/// <param name="Conditioned">Conditioned value; null for a gap or not yet produced.</param>
public sealed record AlertSignalDocument(string AlertId, string Channel, string Unit, double PeriodSeconds, long FirstGridIndex, IReadOnlyList<double?> Raw, IReadOnlyList<double?> Conditioned);

/// <summary>
/// The local HTTP API, versioned under <c>/api/v1</c>: status, alerts, acknowledge, recent summaries.
/// Writes need the <c>X-Api-Key</c> header; every error is an RFC 7807 problem document.
/// </summary>
public static partial class LocalApi
{
    /// <summary>Header carrying the API key.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    private const string RateLimitPolicy = "per-client";

    /// <summary>Kestrel limits, problem details, rate limiting, OpenAPI.</summary>
    public static WebApplicationBuilder AddLocalApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var s = builder.Services;
        s.AddOptions<ApiOptions>().Bind(builder.Configuration.GetSection(ApiOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        var api = new ApiOptions();
        builder.Configuration.GetSection(ApiOptions.SectionName).Bind(api);
        builder.WebHost.UseUrls([.. api.EffectiveUrls]);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = api.MaxRequestBodyBytes);
        s.AddProblemDetails();
        s.ConfigureHttpJsonOptions(o =>
        {
            // Enums are camelCase strings everywhere in the API, as in the alert documents the uplink sends.
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, AlertJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, FlightSummaryJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
        });
        s.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (ctx, ct) =>
            {
                ctx.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                await Results.Problem(title: "Too many requests", detail: $"More than {api.RequestsPerSecond} requests per second from this client.", statusCode: 429).ExecuteAsync(ctx.HttpContext);
            };
            // Partitioned by the address itself (not its text): no string per request.
            o.AddPolicy(RateLimitPolicy, ctx => RateLimitPartition.GetTokenBucketLimiter(
                ctx.Connection.RemoteIpAddress ?? System.Net.IPAddress.None,
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = api.RequestsPerSecond,
                    TokensPerPeriod = api.RequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        });
        s.AddOpenApi("v1");
        s.AddSingleton<ApiKey>();
        s.AddSingleton<ScoringBatchers>();
        return builder;
    }

    /// <summary>Maps the API's endpoints.</summary>
    public static WebApplication MapLocalApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.Services.GetRequiredService<ApiKey>().LogOnce();

        var v1 = app.MapGroup("/api/v1").RequireRateLimiting(RateLimitPolicy).WithTags("gateway");
        v1.MapGet("/status", Status).WithName("GetStatus");
        v1.MapGet("/alerts", (AlertBoard board) => board.Current.Select(AlertDocument.From).ToArray()).WithName("GetAlerts");
        v1.MapGet("/alerts/{id}/signal", Signal).WithName("GetAlertSignal");
        v1.MapPost("/alerts/{id}/acknowledge", Acknowledge).AddEndpointFilter<ApiKeyFilter>().WithName("AcknowledgeAlert");
        v1.MapScoring().AddEndpointFilter<ApiKeyFilter>();
        v1.MapGet("/summaries", (RecentSummaries recent) => recent.Snapshot()
            .Select(x => new SummaryListItem(x.Id, x.Summary.Tail, x.Summary.StartUtc, x.Summary.Words, [.. x.Summary.Engines.Select(e => e.Serial)])).ToArray()).WithName("GetSummaries");
        v1.MapGet("/summaries/{id}", (string id, RecentSummaries recent) =>
            recent.Snapshot().FirstOrDefault(x => x.Id == id) is { Summary: { } summary }
                ? Results.Ok(summary)
                : Results.Problem(title: "Summary not found", detail: $"No recent summary with id '{id}'.", statusCode: 404)).WithName("GetSummary");
        return app;
    }

    private static GatewayStatusDocument Status(Core.Arinc.LabelTable table, IOptions<GatewayOptions> gateway, LandingSessionService sessions, PipelineHealth health, UplinkService uplink, AlertBoard board)
    {
        var stats = uplink.Outbox.GetStatistics();
        return new GatewayStatusDocument(
            gateway.Value.Tail,
            table.Info.EngineCount,
            sessions.State.ToString().ToLowerInvariant(),
            sessions.Current?.Id,
            sessions.SessionsReported,
            health.IsHealthy,
            uplink.Supervisor.IsConnected,
            ToDictionary(stats.Depth),
            ToDictionary(stats.Dropped),
            board.Current.Length,
            board.UnacknowledgedCrewCount);
    }

    private static IResult Signal(string id, AlertBoard board, SignalRecorder signals)
    {
        if (!board.TryGet(id, out var alert) || alert is null)
        {
            return Results.Problem(title: "Alert not found", detail: $"No active alert with id '{id}'.", statusCode: 404);
        }

        foreach (string name in alert.Evidence.Channels.Append(alert.Parameter))
        {
            if (signals.TryFindChannel(name, alert.EnginePosition, out var channel))
            {
                var s = signals.Snapshot(channel.Id);
                return Results.Ok(new AlertSignalDocument(alert.Id, channel.DisplayName, channel.Unit, 1.0, s.FirstGridIndex, ToNullable(s.Raw), ToNullable(s.Conditioned)));
            }
        }

        return Results.Problem(title: "No signal for alert", detail: $"The label table has no channel named by alert '{id}' ({string.Join(", ", alert.Evidence.Channels)}).", statusCode: 404);
    }

    // JSON has no NaN: a gap is null.
    private static double?[] ToNullable(float[] values) => [.. values.Select(v => float.IsFinite(v) ? (double?)Math.Round(v, 4) : null)];

    private static Dictionary<string, long> ToDictionary(IReadOnlyList<long> perClass)
    {
        var d = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < perClass.Count; i++)
        {
            d[((MessageClass)i).ToString().ToLowerInvariant()] = perClass[i];
        }

        return d;
    }

    private static IResult Acknowledge(string id, [FromBody] AcknowledgeRequest? request, AlertBoard board)
    {
        string by = string.IsNullOrWhiteSpace(request?.By) ? "local API" : request.By.Trim();
        if (by.Length > 64)
        {
            return Results.Problem(title: "Invalid acknowledge request", detail: "'by' is at most 64 characters.", statusCode: 400);
        }

        try
        {
            var channel = request?.Via == "crew-page" ? AcknowledgeChannel.CrewPage : AcknowledgeChannel.LocalApi;
            return Results.Ok(AlertDocument.From(board.Acknowledge(id, by, channel)));
        }
        catch (KeyNotFoundException)
        {
            return Results.Problem(title: "Alert not found", detail: $"No active alert with id '{id}'.", statusCode: 404);
        }
        catch (AlertStateException e)
        {
            return Results.Problem(title: "Alert cannot be acknowledged", detail: e.Message, statusCode: 409);
        }
    }

    /// <summary>The key writes must present; generated at start-up when not configured.</summary>
    public sealed partial class ApiKey(IOptions<ApiOptions> options, ILogger<ApiKey> logger)
    {
        private readonly bool _generated = string.IsNullOrEmpty(options.Value.ApiKey);
        private byte[]? _valueBytes;

        /// <summary>The key.</summary>
        public string Value { get; } = string.IsNullOrEmpty(options.Value.ApiKey) ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : options.Value.ApiKey;

        /// <summary>Constant-time comparison.</summary>
        public bool Matches(string? candidate)
        {
            if (candidate is null)
            {
                return false;
            }

            // Every scoring request checks the key: compare without allocating (a key longer than the
            // stack buffer is compared from the heap).
            byte[] expected = _valueBytes ??= Encoding.UTF8.GetBytes(Value);
            int max = Encoding.UTF8.GetMaxByteCount(candidate.Length);
            Span<byte> bytes = max <= 256 ? stackalloc byte[max] : new byte[max];
            int n = Encoding.UTF8.GetBytes(candidate, bytes);
            return CryptographicOperations.FixedTimeEquals(bytes[..n], expected);
        }

        internal void LogOnce()
        {
            if (_generated)
            {
                Log.GeneratedKey(logger, Value);
            }
        }

        private static partial class Log
        {
            [LoggerMessage(EventId = 2400, Level = LogLevel.Warning, Message = "Api:ApiKey is not configured; writes to the local API need this generated key in X-Api-Key: {Key}")]
            public static partial void GeneratedKey(ILogger logger, string key);
        }
    }

    private sealed class ApiKeyFilter(ApiKey key) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            if (!key.Matches(context.HttpContext.Request.Headers[ApiKeyHeader]))
            {
                return Results.Problem(title: "API key required", detail: $"Writes need a valid {ApiKeyHeader} header.", statusCode: StatusCodes.Status401Unauthorized);
            }

            return await next(context);
        }
    }
}

/// <summary>Source-generated JSON for the API's own documents.</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(GatewayStatusDocument))]
[System.Text.Json.Serialization.JsonSerializable(typeof(SummaryListItem[]))]
[System.Text.Json.Serialization.JsonSerializable(typeof(AcknowledgeRequest))]
[System.Text.Json.Serialization.JsonSerializable(typeof(ScoreRequest))]
[System.Text.Json.Serialization.JsonSerializable(typeof(ScoreResponse))]
[System.Text.Json.Serialization.JsonSerializable(typeof(AlertSignalDocument))]
[System.Text.Json.Serialization.JsonSerializable(typeof(ProblemDetails))]
internal sealed partial class ApiJsonContext : System.Text.Json.Serialization.JsonSerializerContext
{
}
