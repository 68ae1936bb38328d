using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using EdgeGateway.Inference.Packages;
using EdgeGateway.Landing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace EdgeGateway.Api;

/// <summary>A window to score: one row per sample at the model's rate, one value per channel in the model's channel order, engineering units.</summary>
/// <param name="Rows">The window, <c>[WindowLength][Channels]</c>.</param>
public sealed record ScoreRequest([property: JsonConverter(typeof(WindowRowsConverter))] double[][]? Rows);

/// <summary>
/// Reads <c>rows</c> (an array of arrays of numbers) the way the default converters do, but each row
/// straight into an array of its exact length: the default reads every row through a growing list
/// (about 15 kB of garbage for a 32 x 9 window against 3 kB here), which at thousands of windows a
/// second is the endpoint's largest allocation. Widths are not checked here (the endpoint answers a
/// wrong width with a problem document naming the row).
/// </summary>
public sealed class WindowRowsConverter : JsonConverter<double[][]>
{
    private static readonly double[] s_powersOfTen = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    [ThreadStatic]
    private static double[]? t_row;

    [ThreadStatic]
    private static List<double[]>? t_rows;

    /// <inheritdoc/>
    public override double[][]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartArray);
        var rows = t_rows ??= new List<double[]>(128);
        rows.Clear();
        var row = t_row ??= new double[64];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                rows.Add(null!);
                continue;
            }

            Expect(ref reader, JsonTokenType.StartArray);
            int n = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (n == row.Length)
                {
                    Array.Resize(ref row, row.Length * 2);
                    t_row = row;
                }

                row[n++] = ReadNumber(ref reader, options);
            }

            rows.Add(row.AsSpan(0, n).ToArray());
        }

        double[][] result = [.. rows];
        rows.Clear();
        return result;
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, double[][] value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        foreach (var row in value)
        {
            writer.WriteStartArray();
            foreach (double v in row)
            {
                writer.WriteNumberValue(v);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    // As the default double converter: a JSON number, or a numeric string when the options allow it (the web defaults do).
    private static double ReadNumber(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return !reader.HasValueSequence && TryParsePlainDecimal(reader.ValueSpan, out double plain) ? plain : reader.GetDouble();
        }

        if (reader.TokenType == JsonTokenType.String && (options.NumberHandling & JsonNumberHandling.AllowReadingFromString) != 0
            && double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
        {
            return v;
        }

        throw new JsonException($"'rows' holds {reader.TokenType} where a number belongs.");
    }

    /// <summary>
    /// Parses a JSON number without exponent and with at most 15 digits (how sensor values are written)
    /// to the same double as <see cref="Utf8JsonReader.GetDouble"/>: the digits as an integer are an
    /// exact double (below 2^53), so are the powers of ten up to 10^15, and one IEEE division of exact
    /// values is correctly rounded (Clinger's fast path, which the runtime's parser also takes). About
    /// a third cheaper than the general parser, which scans for every number format; anything else
    /// returns false for the general parser.
    /// </summary>
    internal static bool TryParsePlainDecimal(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        bool negative = text.Length > 0 && text[0] == (byte)'-';
        long digits = 0;
        int count = 0, scale = 0;
        bool point = false;
        for (int i = negative ? 1 : 0; i < text.Length; i++)
        {
            uint d = (uint)(text[i] - '0');
            if (d <= 9)
            {
                if (++count > 15)
                {
                    return false;
                }

                digits = (digits * 10) + d;
                scale += point ? 1 : 0;
            }
            else if (text[i] == (byte)'.' && !point)
            {
                point = true;
            }
            else
            {
                return false;
            }
        }

        if (count == 0)
        {
            return false;
        }

        double v = scale == 0 ? digits : digits / s_powersOfTen[scale];
        value = negative ? -v : v;
        return true;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (reader.TokenType != token)
        {
            throw new JsonException($"'rows' holds {reader.TokenType} where {token} belongs.");
        }
    }
}

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
/// The window comes as JSON (<see cref="ScoreRequest"/>) or, with <c>Content-Type: application/octet-stream</c>,
/// as the raw window: <c>WindowLength * Channels</c> little-endian float32 values, row-major, channels
/// in the manifest's order, read without per-value parsing.
/// </summary>
public static class ScoringEndpoint
{
    /// <summary>Media type of the binary window.</summary>
    public const string BinaryMediaType = "application/octet-stream";

    /// <summary>Maps the endpoint onto the v1 group.</summary>
    public static RouteHandlerBuilder MapScoring(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        return v1.MapPost("/score", Score)
            .Accepts<ScoreRequest>("application/json", BinaryMediaType)
            .AddOpenApiOperationTransformer(DescribeBinaryBody)
            .WithName("ScoreWindow");
    }

    // Accepts gives both media types the JSON schema; the binary one is a plain byte string.
    private static Task DescribeBinaryBody(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.RequestBody?.Content is { } content)
        {
            content[BinaryMediaType] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Format = "binary",
                    Description = "The window as little-endian float32, row-major [windowLength][channels], channels in the manifest's order, engineering units: exactly windowLength * channels * 4 bytes.",
                },
            };
        }

        return Task.CompletedTask;
    }

    private static async Task<IResult> Score(HttpRequest http, IOptions<JsonOptions> json, AnalysisSetup analysis, ScoringBatchers batchers)
    {
        if (http.HasJsonContentType())
        {
            return await ScoreJsonAsync(http, json.Value.SerializerOptions, analysis, batchers).ConfigureAwait(false);
        }

        if (IsBinary(http.ContentType))
        {
            return await ScoreBinaryAsync(http, analysis, batchers).ConfigureAwait(false);
        }

        return Results.Problem(title: "Unsupported media type", detail: $"The body must be application/json or {BinaryMediaType}.", statusCode: StatusCodes.Status415UnsupportedMediaType);
    }

    private static bool IsBinary(string? contentType) =>
        contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals(BinaryMediaType, StringComparison.OrdinalIgnoreCase);

    private static async Task<IResult> ScoreJsonAsync(HttpRequest http, JsonSerializerOptions options, AnalysisSetup analysis, ScoringBatchers batchers)
    {
        ScoreRequest? request;
        try
        {
            request = await ReadBodyAsync(http.BodyReader, options, http.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's body limit (413) or a broken body.
            return Results.Problem(title: "Invalid request body", detail: e.Message, statusCode: e.StatusCode);
        }
        catch (JsonException e)
        {
            return Results.Problem(title: "Invalid window", detail: "The body is not a window: " + e.Message, statusCode: StatusCodes.Status400BadRequest);
        }

        var package = analysis.Models?.Anomaly;
        if (package is null)
        {
            return NoPackage(analysis);
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
        return Scored(package, score);
    }

    /// <summary>
    /// The binary window: the whole body is read (at most <c>Api:MaxRequestBodyBytes</c>, which Kestrel
    /// enforces) and copied byte for byte into a pooled float buffer, which is returned to the pool once
    /// the window is scored.
    /// </summary>
    private static async Task<IResult> ScoreBinaryAsync(HttpRequest http, AnalysisSetup analysis, ScoringBatchers batchers)
    {
        var body = http.BodyReader;
        ReadResult result;
        try
        {
            while (true)
            {
                result = await body.ReadAsync(http.HttpContext.RequestAborted).ConfigureAwait(false);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }

                body.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's body limit (413) or a broken body.
            return Results.Problem(title: "Invalid request body", detail: e.Message, statusCode: e.StatusCode);
        }

        var package = analysis.Models?.Anomaly;
        if (package is null)
        {
            body.AdvanceTo(result.Buffer.End);
            return NoPackage(analysis);
        }

        var m = package.Manifest;
        int length = m.Input.WindowLength, channels = m.Input.Channels.Count, values = length * channels;
        long bytes = values * (long)sizeof(float);
        long received = result.Buffer.Length;
        if (received != bytes)
        {
            body.AdvanceTo(result.Buffer.End);
            return Results.Problem(
                title: "Invalid window",
                detail: $"The body must be {bytes} bytes ({length} rows x {channels} channels, {string.Join(", ", m.Input.Channels)}, as little-endian float32, row-major); it is {received} bytes.",
                statusCode: 400);
        }

        float[] window = ArrayPool<float>.Shared.Rent(values);
        try
        {
            var floats = window.AsSpan(0, values);
            result.Buffer.CopyTo(MemoryMarshal.AsBytes(floats));
            body.AdvanceTo(result.Buffer.End);
            if (!BitConverter.IsLittleEndian)
            {
                var ints = MemoryMarshal.Cast<float, int>(floats);
                BinaryPrimitives.ReverseEndianness(ints, ints);
            }

            int bad = FirstNonFinite(floats);
            if (bad >= 0)
            {
                return Results.Problem(title: "Invalid window", detail: $"row {bad / channels} channel {bad % channels} ({m.Input.Channels[bad % channels]}) holds a value that is not a finite number.", statusCode: 400);
            }

            double score = await batchers.For(package).ScoreAsync(window.AsMemory(0, values)).ConfigureAwait(false);
            return Scored(package, score);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(window);
        }
    }

    private static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static IResult NoPackage(AnalysisSetup analysis) =>
        Results.Problem(title: "No anomaly model", detail: analysis.Models?.StatusLine ?? "no model packages loaded", statusCode: StatusCodes.Status503ServiceUnavailable);

    private static IResult Scored(ModelPackage package, double score)
    {
        var m = package.Manifest;
        double threshold = m.Decision?.Threshold ?? double.PositiveInfinity;
        return Results.Ok(new ScoreResponse(package.Id, score, threshold, score > threshold, m.Input.Channels));
    }

    /// <summary>
    /// Reads the whole body (at most <c>Api:MaxRequestBodyBytes</c>, which Kestrel enforces), then
    /// deserialises it in one pass with the API's JSON options. Binding it as a body parameter would
    /// deserialise while the body arrives, and a custom converter (<see cref="WindowRowsConverter"/>)
    /// makes the serializer re-scan the whole <c>rows</c> value each time more of it arrives: for a
    /// 300 x 9 window about two thirds more CPU than parsing it once.
    /// </summary>
    private static async ValueTask<ScoreRequest?> ReadBodyAsync(PipeReader body, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCompleted || result.IsCanceled)
            {
                try
                {
                    return Deserialize(result.Buffer, options);
                }
                finally
                {
                    body.AdvanceTo(result.Buffer.End);
                }
            }

            body.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    // An empty body is no request (answered like a body without rows).
    private static ScoreRequest? Deserialize(ReadOnlySequence<byte> json, JsonSerializerOptions options)
    {
        if (json.IsEmpty)
        {
            return null;
        }

        var reader = new Utf8JsonReader(json);
        return JsonSerializer.Deserialize(ref reader, (JsonTypeInfo<ScoreRequest>)options.GetTypeInfo(typeof(ScoreRequest)));
    }
}
