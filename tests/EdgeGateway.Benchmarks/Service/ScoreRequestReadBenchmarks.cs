using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using EdgeGateway.Api;
using EdgeGateway.Core.Models;

namespace EdgeGateway.Benchmarks.Service;

/// <summary>
/// Reading a scoring request body (one window of the shipped anomaly package's shape, engineering units
/// with three decimals) with the web JSON options: the default <c>double[][]</c> converter beside the
/// endpoint's <see cref="WindowRowsConverter"/>. One operation = one body.
/// </summary>
[MemoryDiagnoser]
public class ScoreRequestReadBenchmarks
{
    private static readonly JsonSerializerOptions s_web = new(JsonSerializerDefaults.Web);
    private byte[] _body = [];

    [GlobalSetup]
    public void Setup()
    {
        string manifestPath = Path.Combine(ServiceBenchmarkPaths.Root, "models", "anomaly", PackageSignature.ManifestFileName);
        var manifest = ManifestJson.Deserialize(File.ReadAllBytes(manifestPath), PackageSignature.ManifestFileName);
        var mean = manifest.Scaler.ChannelMean[0];
        var std = manifest.Scaler.ChannelStd[0];
        var rng = new Random(3);
        var rows = Enumerable.Range(0, manifest.Input.WindowLength)
            .Select(_ => string.Join(",", mean.Select((m, c) => Math.Round(m + (std[c] * ((2 * rng.NextDouble()) - 1)), 3).ToString(CultureInfo.InvariantCulture))));
        _body = Encoding.UTF8.GetBytes("{\"rows\":[[" + string.Join("],[", rows) + "]]}");
    }

    [Benchmark(Baseline = true)]
    public double[][]? DefaultConverter() => JsonSerializer.Deserialize<DefaultScoreRequest>(_body, s_web)!.Rows;

    [Benchmark]
    public double[][]? WindowRows() => JsonSerializer.Deserialize<ScoreRequest>(_body, s_web)!.Rows;

    /// <summary>The request as it was before <see cref="WindowRowsConverter"/>.</summary>
    public sealed record DefaultScoreRequest(double[][]? Rows);
}
