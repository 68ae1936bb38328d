using System.Globalization;
using System.Text.Json;
using EdgeGateway.Core.Models;

namespace EdgeGateway.ModelLab.Packaging;

/// <summary>A metric bound in the gate config.</summary>
/// <param name="Name">Metric name in the manifest.</param>
/// <param name="Min">Lowest allowed value, or null.</param>
/// <param name="Max">Highest allowed value, or null.</param>
public sealed record MetricRule(string Name, double? Min, double? Max);

/// <summary>Per-group rule: every metric <c>Prefix*Suffix</c> must stay within <c>Tolerance</c> of <c>Overall</c>.</summary>
/// <param name="Overall">Overall metric name.</param>
/// <param name="Prefix">Group metric prefix, e.g. <c>test.subset.</c>.</param>
/// <param name="Suffix">Group metric suffix, e.g. <c>.rmse</c>.</param>
/// <param name="HigherIsBetter">True for F1 or detection rates, false for errors.</param>
/// <param name="Tolerance">Allowed relative shortfall (0.25 = 25% worse than overall).</param>
/// <param name="Exempt">
/// Groups the package is not meant to decide, by group name (the part between prefix and suffix),
/// each with the reason; the gate prints them as exempt with the reason and the figure, so the
/// exemption is visible wherever the gate's verdict is read.
/// </param>
/// <param name="MinCount">
/// Fewest cases a group needs to be judged, read from its count metric (<c>Prefix + group + ".count"</c>):
/// a group with fewer (one missed fault in a group of two is a rate of 0.5) is printed with its
/// figure and count, not judged. 0: every group is judged.
/// </param>
public sealed record GroupRule(string Overall, string Prefix, string Suffix, bool HigherIsBetter, double Tolerance, IReadOnlyDictionary<string, string>? Exempt = null, int MinCount = 0);

/// <summary>Release gate config (<c>release-gate.json</c> beside the package).</summary>
/// <param name="Metrics">Metric bounds.</param>
/// <param name="Groups">Per-group rules.</param>
/// <param name="AllowedColumns">Every extracted column must be in this list (engineering signals and non-personal metadata).</param>
/// <param name="RequireProvenance">Provenance, licence and source hashes must be recorded.</param>
public sealed record GateConfig(IReadOnlyList<MetricRule> Metrics, IReadOnlyList<GroupRule> Groups, IReadOnlyList<string> AllowedColumns, bool RequireProvenance = true)
{
    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, ReadCommentHandling = JsonCommentHandling.Skip };

    /// <summary>Reads a gate config file.</summary>
    public static GateConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new LabException($"{path}: release gate config not found");
        }

        try
        {
            return JsonSerializer.Deserialize<GateConfig>(File.ReadAllBytes(path), s_json) ?? throw new LabException($"{path}: empty gate config");
        }
        catch (JsonException ex)
        {
            throw new LabException($"{path}: not a gate config ({ex.Message})", ex);
        }
    }
}

/// <summary>One rule's outcome.</summary>
/// <param name="Rule">Which rule.</param>
/// <param name="Passed">Whether it passed.</param>
/// <param name="Detail">The numbers behind it.</param>
public sealed record GateResult(string Rule, bool Passed, string Detail);

/// <summary>
/// The release gate: a package is signed only when every rule passes. Rules: metric bounds, per-group
/// performance not far below overall, column allow-list, provenance and licence recorded, file hashes
/// match the manifest, and the fp32 model reproduces the manifest's self-test vector in ONNX Runtime.
/// </summary>
public static class ReleaseGate
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>Evaluates every rule (does not stop at the first failure).</summary>
    public static IReadOnlyList<GateResult> Check(string folder, ModelManifest manifest, GateConfig gate)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(gate);
        var results = new List<GateResult>();
        foreach (var rule in gate.Metrics)
        {
            var v = manifest.Metric(rule.Name);
            if (v is null)
            {
                results.Add(new($"metric {rule.Name}", false, "not in the manifest"));
                continue;
            }

            var ok = (rule.Min is null || v >= rule.Min) && (rule.Max is null || v <= rule.Max);
            var bound = rule.Min is not null && rule.Max is not null ? $"in [{rule.Min}, {rule.Max}]" : rule.Min is not null ? $">= {rule.Min}" : $"<= {rule.Max}";
            results.Add(new($"metric {rule.Name}", ok, string.Create(s_inv, $"{v:F4}, required {bound}")));
        }

        foreach (var g in gate.Groups)
        {
            var overall = manifest.Metric(g.Overall);
            var members = manifest.Metrics.Where(m => m.Name.StartsWith(g.Prefix, StringComparison.Ordinal) && m.Name.EndsWith(g.Suffix, StringComparison.Ordinal) && m.Name.Length > g.Prefix.Length + g.Suffix.Length).ToList();
            if (overall is null || members.Count == 0)
            {
                results.Add(new($"groups {g.Prefix}*{g.Suffix}", false, $"overall {g.Overall} or group metrics missing"));
                continue;
            }

            foreach (var m in members)
            {
                var group = m.Name[g.Prefix.Length..^g.Suffix.Length];
                if (g.Exempt?.GetValueOrDefault(group) is { } reason)
                {
                    results.Add(new($"group {m.Name}", true, string.Create(s_inv, $"{m.Value:F4}: exempt, {reason}")));
                    continue;
                }

                if (g.MinCount > 0)
                {
                    var count = manifest.Metric(g.Prefix + group + ".count");
                    if (count is null)
                    {
                        results.Add(new($"group {m.Name}", false, $"{g.Prefix}{group}.count missing (the rule judges only groups of at least {g.MinCount})"));
                        continue;
                    }

                    if (count < g.MinCount)
                    {
                        results.Add(new($"group {m.Name}", true, string.Create(s_inv, $"{m.Value:F4} on {count} cases: not judged, fewer than {g.MinCount}")));
                        continue;
                    }
                }

                var limit = g.HigherIsBetter ? overall.Value * (1 - g.Tolerance) : overall.Value * (1 + g.Tolerance);
                var ok = g.HigherIsBetter ? m.Value >= limit : m.Value <= limit;
                results.Add(new($"group {m.Name}", ok, string.Create(s_inv, $"{m.Value:F4} vs overall {overall:F4}; limit {(g.HigherIsBetter ? ">=" : "<=")} {limit:F4} ({g.Tolerance:P0})")));
            }
        }

        var allowed = new HashSet<string>(gate.AllowedColumns, StringComparer.Ordinal);
        var used = manifest.Training.Columns.Concat(manifest.Input.Channels).Concat(manifest.Input.Settings).Distinct(StringComparer.Ordinal).ToList();
        var outside = used.Where(c => !allowed.Contains(c)).ToList();
        results.Add(new("column allow-list", outside.Count == 0, outside.Count == 0 ? $"{used.Count} columns, all allowed" : $"not allowed: {string.Join(", ", outside)}"));

        if (gate.RequireProvenance)
        {
            var t = manifest.Training;
            var missing = new List<string>();
            if (string.IsNullOrWhiteSpace(t.Provenance))
            {
                missing.Add("provenance");
            }

            if (string.IsNullOrWhiteSpace(t.Licence))
            {
                missing.Add("licence");
            }

            if (t.Sources.Count == 0 || t.Sources.Any(s => s.Sha256.Length != 64))
            {
                missing.Add("source file hashes");
            }

            if (t.DataHash.Length != 64)
            {
                missing.Add("training data hash");
            }

            results.Add(new("provenance and licence", missing.Count == 0, missing.Count == 0 ? $"{t.Sources.Count} sources hashed; licence: {t.Licence}" : $"missing: {string.Join(", ", missing)}"));
        }

        foreach (var f in manifest.Files)
        {
            var p = Path.Combine(folder, f.Path);
            var actual = File.Exists(p) ? PackageSignature.Sha256File(p) : "missing";
            results.Add(new($"hash {f.Path}", actual == f.Sha256, actual == f.Sha256 ? "matches manifest" : $"file {actual}, manifest {f.Sha256}"));
        }

        results.Add(SelfTest(folder, manifest));
        return results;
    }

    /// <summary>Runs the manifest's self-test vector through the fp32 model in ONNX Runtime.</summary>
    public static GateResult SelfTest(string folder, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var fp32 = manifest.Files.FirstOrDefault(f => f.Role == "fp32");
        if (fp32 is null)
        {
            return new("self-test", false, "no fp32 model in the package");
        }

        try
        {
            using var scorer = new Onnx.OnnxScorer(Path.Combine(folder, fp32.Path));
            var y = scorer.Run([.. manifest.SelfTest.Input], 1);
            var diff = y.Zip(manifest.SelfTest.Expected, (a, b) => Math.Abs(a - b)).Max();
            return new("self-test", diff <= manifest.SelfTest.Tolerance, string.Create(s_inv, $"max |output - expected| = {diff:G4}, tolerance {manifest.SelfTest.Tolerance}"));
        }
        catch (LabException ex)
        {
            return new("self-test", false, ex.Message);
        }
    }
}
