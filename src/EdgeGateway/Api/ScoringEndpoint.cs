using EdgeGateway.Landing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace EdgeGateway.Api;

/// <summary>A window to score: one row per sample at the model's rate, one value per channel in the model's channel order, engineering units.</summary>
/// <param name="Rows">The window, <c>[WindowLength][Channels]</c>.</param>
public sealed record ScoreRequest(double[][]? Rows);

/// <summary>The anomaly score of a window.</summary>
/// <param name="Model">Package id (name, file role, hash).</param>
/// <param name="Score">Anomaly score.</param>
/// <param name="Threshold">The package's threshold.</param>
/// <param name="AboveThreshold">Score above the threshold (one window; alerts need the package's debounce).</param>
/// <param name="Channels">The channel order the rows were read in.</param>
public sealed record ScoreResponse(string Model, double Score, double Threshold, bool AboveThreshold, IReadOnlyList<string> Channels);

/// <summary>
/// <c>POST /api/v1/score</c>: scores one window with the loaded anomaly package, so other ground
/// systems can use the model. Windows of concurrent requests are scored together in one ONNX Runtime
/// call (<see cref="ScoringBatcher"/>), with buffers of their own, never the landing pipeline's.
/// </summary>
public static class ScoringEndpoint
{
    /// <summary>Maps the endpoint onto the v1 group.</summary>
    public static RouteHandlerBuilder MapScoring(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        return v1.MapPost("/score", Score).WithName("ScoreWindow");
    }

    private static async Task<IResult> Score([FromBody] ScoreRequest? request, AnalysisSetup analysis, ScoringBatchers batchers)
    {
        var package = analysis.Models?.Anomaly;
        if (package is null)
        {
            return Results.Problem(title: "No anomaly model", detail: analysis.Models?.StatusLine ?? "no model packages loaded", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var m = package.Manifest;
        int length = m.Input.WindowLength, channels = m.Input.Channels.Count;
        if (request?.Rows is not { } rows || rows.Length != length)
        {
            return Results.Problem(title: "Invalid window", detail: $"'rows' must hold {length} rows (the model's window at {m.Input.SampleRate} {m.Input.RateUnit}).", statusCode: 400);
        }

        for (int r = 0; r < rows.Length; r++)
        {
            if (rows[r] is not { } row || row.Length != channels)
            {
                return Results.Problem(title: "Invalid window", detail: $"row {r} must hold {channels} values in the order {string.Join(", ", m.Input.Channels)}.", statusCode: 400);
            }

            foreach (double v in row)
            {
                if (!double.IsFinite(v))
                {
                    return Results.Problem(title: "Invalid window", detail: $"row {r} holds a value that is not a finite number.", statusCode: 400);
                }
            }
        }

        double score = await batchers.For(package).ScoreAsync(rows).ConfigureAwait(false);
        double threshold = m.Decision?.Threshold ?? double.PositiveInfinity;
        return Results.Ok(new ScoreResponse(package.Id, score, threshold, score > threshold, m.Input.Channels));
    }
}
