using System.Security.Cryptography;
using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Anomaly;
using EdgeGateway.ModelLab.Onnx;
using EdgeGateway.ModelLab.Packaging;

namespace EdgeGateway.Inference.Tests;

/// <summary>A temporary folder removed at dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "eg-inf-" + Guid.NewGuid().ToString("N")[..12]);

    public string Sub(string name)
    {
        var p = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(p);
        return p;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>
/// Builds small signed anomaly packages with the model lab's own exporter (PCA detector on
/// synthetic normal windows), so the gateway is tested on exactly what the lab writes.
/// </summary>
internal static class TestPackages
{
    public static readonly string[] Channels = ["N1", "N2", "EGT", "FuelFlow", "N1Vibration", "N2Vibration"];
    public static readonly double[] Means = [85, 95, 700, 2500, 0.6, 0.7];
    public static readonly double[] Stds = [1.0, 0.8, 8, 40, 0.05, 0.05];
    public const int Window = 20;

    /// <summary>Normal sample at time t (deterministic, smooth plus small noise).</summary>
    public static double Normal(int channel, long t, Random rng) =>
        Means[channel] + (Stds[channel] * ((0.6 * Math.Sin((t * 0.05) + channel)) + (0.4 * ((rng.NextDouble() * 2) - 1))));

    /// <summary>Writes a signed anomaly package into <paramref name="folder"/>; returns the public key PEM path in <paramref name="keysFolder"/>.</summary>
    /// <param name="otherEngine">Adds <c>EGT@other</c> after the channels (scaled with mean 690, deviation 10): the other engine's EGT, which the normal windows give this engine's EGT less 10 degC.</param>
    /// <param name="otherEngineEqual">With <paramref name="otherEngine"/>: the normal windows give <c>EGT@other</c> this engine's EGT exactly, scaled like it, so the engine's own EGT standing in for it is a normal window.</param>
    public static string WriteAnomaly(string folder, string keysFolder, ECDsa? key = null, double threshold = 1.5, bool sign = true, int raiseAfter = 3, int clearAfter = 5, bool otherEngine = false, bool otherEngineEqual = false)
    {
        double otherOffset = otherEngineEqual ? 0 : 10;
        var rng = new Random(5);
        string[] channels = otherEngine ? [.. Channels, "EGT@other"] : Channels;
        double[] means = otherEngine ? [.. Means, Means[2] - otherOffset] : Means;
        double[] stds = otherEngine ? [.. Stds, otherEngineEqual ? Stds[2] : 10] : Stds;
        int c = channels.Length;
        var windows = new float[600][];
        var values = new double[c][];
        for (int ch = 0; ch < c; ch++)
        {
            values[ch] = new double[windows.Length + Window];
        }

        for (long t = 0; t < windows.Length + Window; t++)
        {
            for (int ch = 0; ch < Channels.Length; ch++)
            {
                values[ch][t] = Normal(ch, t, rng);
            }

            if (otherEngine)
            {
                values[^1][t] = values[2][t] - otherOffset;
            }
        }

        for (int i = 0; i < windows.Length; i++)
        {
            var w = new float[Window * c];
            for (int r = 0; r < Window; r++)
            {
                for (int ch = 0; ch < c; ch++)
                {
                    w[(r * c) + ch] = (float)((values[ch][i + r] - means[ch]) / stds[ch]);
                }
            }

            windows[i] = w;
        }

        var pca = PcaDetector.Fit(windows, 0.95, 16);
        var fp32 = AnomalyExporter.Pca(pca, Window, c, quantize: false);
        var int8 = AnomalyExporter.Pca(pca, Window, c, quantize: true);
        var selfInput = windows[7];
        float expected;
        using (var scorer = new OnnxScorer(fp32, "fp32"))
        {
            expected = scorer.Run(selfInput, 1)[0];
        }

        var scaler = new ScalerSpec([], [], [[]], [means], [stds]);
        var manifest = new ModelManifest(
            ModelManifest.CurrentFormat,
            "anomaly-test",
            "anomaly",
            "PCA anomaly detector on synthetic windows (tests).",
            [],
            new InputSpec(channels, [], Window, 1, "hertz", AnomalyExporter.InputName),
            scaler,
            new OutputSpec(AnomalyExporter.OutputName, "anomaly score", "score"),
            new DecisionSpec(threshold, "fixed", new DebounceSpec(raiseAfter, clearAfter)),
            new TrainingSpec("0", [], windows.Length, 1, "synthetic", "test", 5, "test", [], []),
            [],
            PackageBuilder.Baselines(channels, values),
            new SelfTestVector(selfInput, [expected], 1e-4));
        PackageBuilder.Write(folder, manifest, [("fp32", "anomaly.onnx", fp32), ("int8", "anomaly.int8.onnx", int8)]);
        Directory.CreateDirectory(keysFolder);
        bool own = key is null;
        key ??= ECDsa.Create(ECCurve.NamedCurves.nistP256);
        try
        {
            if (sign)
            {
                PackageSignature.Sign(folder, key);
            }

            string pem = Path.Combine(keysFolder, $"key-{PackageSignature.KeyIdOf(key)}.pem");
            File.WriteAllText(pem, key.ExportSubjectPublicKeyInfoPem() + "\n");
            return pem;
        }
        finally
        {
            if (own)
            {
                key.Dispose();
            }
        }
    }

    /// <summary>Copies a package folder.</summary>
    public static string Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from))
        {
            File.Copy(f, Path.Combine(to, Path.GetFileName(f)), overwrite: true);
        }

        return to;
    }
}
