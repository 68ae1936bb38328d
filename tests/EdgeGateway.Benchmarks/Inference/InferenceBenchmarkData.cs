using System.Security.Cryptography;
using EdgeGateway.Core.Models;
using EdgeGateway.Inference;
using EdgeGateway.Inference.Packages;

namespace EdgeGateway.Benchmarks.Inference;

/// <summary>
/// The shipped model packages for benchmarks: the RUL package as shipped, and the anomaly package
/// (which its release gate has not signed) signed with a throw-away key in a temp folder, so both
/// run through the same verified loading path as on the gateway.
/// </summary>
internal static class InferenceBenchmarkData
{
    private static readonly Lazy<(string Models, string Keys)> s_folders = new(Prepare);

    public static string Root { get; } = FindRoot();

    /// <summary>Models folder holding <c>anomaly/</c> (signed here) and <c>rul/</c>.</summary>
    public static string ModelsFolder => s_folders.Value.Models;

    /// <summary>Trusted keys for <see cref="ModelsFolder"/>.</summary>
    public static string KeysFolder => s_folders.Value.Keys;

    public static ModelSet Load(string role, int batch) =>
        ModelSet.Load(ModelsFolder, KeysFolder, new InferenceOptions { PreferredRole = role, BatchWindows = batch });

    /// <summary>Fills a model's whole input with deterministic values in the normalised range.</summary>
    public static void Fill(float[] input)
    {
        var rng = new Random(3);
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (float)((rng.NextDouble() * 4) - 2);
        }
    }

    private static (string, string) Prepare()
    {
        string dir = Path.Combine(Path.GetTempPath(), "eg-bench-models");
        string models = Path.Combine(dir, "models");
        string keys = Path.Combine(dir, "keys");
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        foreach (var name in new[] { "anomaly", "rul" })
        {
            string to = Path.Combine(models, name);
            Directory.CreateDirectory(to);
            foreach (var f in Directory.GetFiles(Path.Combine(Root, "models", name)))
            {
                File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
            }
        }

        Directory.CreateDirectory(keys);
        foreach (var pem in Directory.GetFiles(Path.Combine(Root, "firmware-config", "trusted-keys"), "*.pem"))
        {
            File.Copy(pem, Path.Combine(keys, Path.GetFileName(pem)));
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        PackageSignature.Sign(Path.Combine(models, "anomaly"), key);
        File.WriteAllText(Path.Combine(keys, "bench.pem"), key.ExportSubjectPublicKeyInfoPem());
        return (models, keys);
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "EdgeGateway.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("EdgeGateway.sln not found above " + AppContext.BaseDirectory);
    }
}
