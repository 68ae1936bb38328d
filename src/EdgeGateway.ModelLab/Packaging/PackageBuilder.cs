using System.Security.Cryptography;
using EdgeGateway.Core.Models;

namespace EdgeGateway.ModelLab.Packaging;

/// <summary>Writes a package folder: ONNX files, then the manifest that lists their hashes.</summary>
public static class PackageBuilder
{
    /// <summary>Bins of the drift baseline histograms.</summary>
    public const int BaselineBins = 20;

    /// <summary>Values a training group needs to count towards an input's notice limit (10 minutes at 1 Hz).</summary>
    public const int MinGroupValuesForNotice = 600;

    /// <summary>
    /// Writes <paramref name="onnx"/> (role, file name, bytes) into <paramref name="folder"/> and the
    /// manifest completed with their hashes. Removes a stale signature: a changed package is unsigned.
    /// </summary>
    public static ModelManifest Write(string folder, ModelManifest manifest, IReadOnlyList<(string Role, string Path, byte[] Bytes)> onnx)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(onnx);
        Directory.CreateDirectory(folder);
        var files = new List<ModelFile>();
        foreach (var (role, path, bytes) in onnx)
        {
            File.WriteAllBytes(Path.Combine(folder, path), bytes);
            files.Add(new ModelFile(role, path, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length));
        }

        var complete = manifest with { Files = files };
        File.WriteAllBytes(Path.Combine(folder, PackageSignature.ManifestFileName), ManifestJson.Serialize(complete));
        var sig = Path.Combine(folder, PackageSignature.FileName);
        if (File.Exists(sig))
        {
            File.Delete(sig);
        }

        return complete;
    }

    /// <summary>Histogram baselines of raw channel values (equal-width bins between min and max).</summary>
    /// <param name="names">Input names.</param>
    /// <param name="channels">Training values per input.</param>
    /// <param name="groups">Group (landing) of each value; with them each baseline records the highest PSI of one group against it (<see cref="ChannelBaseline.NoticePsi"/>), over groups of at least <see cref="MinGroupValuesForNotice"/> values.</param>
    public static IReadOnlyList<ChannelBaseline> Baselines(IReadOnlyList<string> names, double[][] channels, string[]? groups = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(channels);
        var result = new List<ChannelBaseline>();
        for (var c = 0; c < names.Count; c++)
        {
            var v = channels[c];
            var min = v.Min();
            var max = v.Max();
            var width = (max - min) / BaselineBins;
            var edges = Enumerable.Range(0, BaselineBins + 1).Select(i => i == BaselineBins ? max : min + (i * width)).ToArray();
            var counts = new double[BaselineBins];
            foreach (var x in v)
            {
                counts[width > 0 ? PopulationStability.Bin(edges, x) : 0]++;
            }

            var mean = v.Average();
            var std = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length);
            var fractions = counts.Select(x => x / v.Length).ToArray();
            double? notice = null;
            if (groups is not null)
            {
                var perGroup = new Dictionary<string, long[]>(StringComparer.Ordinal);
                for (var i = 0; i < v.Length; i++)
                {
                    if (!perGroup.TryGetValue(groups[i], out var gc))
                    {
                        perGroup[groups[i]] = gc = new long[BaselineBins];
                    }

                    gc[PopulationStability.Bin(edges, v[i])]++;
                }

                var psis = perGroup.OrderBy(g => g.Key, StringComparer.Ordinal).Where(g => g.Value.Sum() >= MinGroupValuesForNotice).Select(g => PopulationStability.Psi(g.Value, fractions)).ToList();
                notice = psis.Count > 0 ? psis.Max() : null;
            }

            result.Add(new ChannelBaseline(names[c], edges, fractions, mean, std, notice));
        }

        return result;
    }

    /// <summary>SHA-256 of a data file with a display path.</summary>
    public static SourceFile Source(string displayPath, string path) => new(displayPath, PackageSignature.Sha256File(path));
}
