using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Data;

namespace EdgeGateway.ModelLab.Packaging;

/// <summary>
/// Scores data with a package's ONNX file in ONNX Runtime, the way the gateway does: scaler from
/// the manifest, the windows the gateway scores (every <c>decision.stride</c> rows from the first
/// row without a gap, see <see cref="Anomaly.AnomalyTrainer.ScheduledEnds"/>), a score at each
/// window's last row (NaN elsewhere and for windows holding a gap in the engine's own channels; a
/// gap in the other engine's inputs is stood in for, see <see cref="Anomaly.StandInWindows"/>),
/// flags from the manifest's threshold and debounce. A package whose manifest gives
/// <c>input.minimumRows</c> (RUL) is scored at every row from each group's minimum history on, the
/// window's start padded by repeating the group's first row, as the gateway's estimator pads it.
/// </summary>
public static class PackageScorer
{
    private const int Batch = 512;

    /// <summary>Scores every row with the ONNX file of role <paramref name="role"/>.</summary>
    public static double[] ScoreRows(string package, ModelManifest manifest, Dataset ds, string role = "fp32")
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(ds);
        using var scorer = OpenModel(package, manifest, role);
        var w = manifest.Input.WindowLength;
        var c = manifest.Input.Channels.Count;
        var norm = Rul.RulTrainer.NormalizeRows(ds, ds.Table, manifest.Input.Settings, manifest.Scaler);
        var scores = new double[ds.RowCount];
        Array.Fill(scores, double.NaN);
        List<int> ends;
        Action<int, Span<float>> copy; // the k-th window into a slot of the batch
        if (manifest.Input.MinimumRows is int min)
        {
            // A padded (RUL) package: a window at every row from the group's min-th on, its start padded as the gateway pads it.
            var starts = new List<int>();
            ends = PaddedEnds(ds, norm, c, w, min, starts);
            copy = (k, into) => Rul.RulTrainer.Window(norm, c, starts[k], ends[k], w).CopyTo(into);
        }
        else
        {
            ends = Anomaly.AnomalyTrainer.ScoredEnds(ds, w, manifest.Decision?.Stride ?? 1);
            var windows = new Anomaly.StandInWindows(ds, norm, manifest.Input.Settings, manifest.Scaler);
            copy = (k, into) => windows.Copy(ends[k], w, into);
        }

        var y = Run(scorer, ends.Count, w * c, copy);
        for (var k = 0; k < ends.Count; k++)
        {
            scores[ends[k]] = y[k];
        }

        return scores;
    }

    /// <summary>
    /// The gateway's <c>raisedAloneScore</c> for the windows ending at <paramref name="ends"/>: each
    /// scored with every input of the other engine (<c>P@other</c>) replaced by the engine's own
    /// <c>P</c> (<see cref="Anomaly.StandInWindows.CopyAlone"/>). Null, as on the gateway, for a
    /// package without other-engine inputs or with operating settings (regime normalisation).
    /// </summary>
    public static double[]? ScoreAlone(string package, ModelManifest manifest, Dataset ds, IReadOnlyList<int> ends, string role = "fp32")
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(ends);
        if (manifest.Input.Settings.Count > 0 || manifest.Input.MinimumRows is not null || OtherEngineStandIn.Pairs(manifest.Input.Channels).Count == 0)
        {
            return null;
        }

        using var scorer = OpenModel(package, manifest, role);
        var w = manifest.Input.WindowLength;
        var c = manifest.Input.Channels.Count;
        var norm = Rul.RulTrainer.NormalizeRows(ds, ds.Table, manifest.Input.Settings, manifest.Scaler);
        var windows = new Anomaly.StandInWindows(ds, norm, manifest.Input.Settings, manifest.Scaler);
        var y = Run(scorer, ends.Count, w * c, (k, into) => windows.CopyAlone(ends[k], w, into));
        return [.. y.Select(v => (double)v)];
    }

    // The package's ONNX file of the given role in ONNX Runtime.
    private static Onnx.OnnxScorer OpenModel(string package, ModelManifest manifest, string role)
    {
        var file = manifest.Files.FirstOrDefault(f => f.Role == role) ?? throw new LabException($"{package}: no '{role}' model in the manifest (roles: {string.Join(", ", manifest.Files.Select(f => f.Role))})");
        return new Onnx.OnnxScorer(Path.Combine(package, file.Path));
    }

    // Scores count windows in batches; copy puts the k-th window into a slot of the batch.
    private static float[] Run(Onnx.OnnxScorer scorer, int count, int values, Action<int, Span<float>> copy)
    {
        var result = new float[count];
        var buffer = new float[Batch * values];
        for (var i = 0; i < count; i += Batch)
        {
            var n = Math.Min(Batch, count - i);
            for (var j = 0; j < n; j++)
            {
                copy(i + j, buffer.AsSpan(j * values, values));
            }

            var input = n == Batch ? buffer : buffer[..(n * values)];
            scorer.Run(input, n).AsSpan(0, n).CopyTo(result.AsSpan(i, n));
        }

        return result;
    }

    // Last rows of the windows (padded per Rul.RulTrainer.WindowRow) at every row from each group's
    // min-th on whose rows hold no gap, in row order; each window's group start into starts.
    private static List<int> PaddedEnds(Dataset ds, float[] norm, int channels, int window, int min, List<int> starts)
    {
        var ends = new List<int>();
        foreach (var (_, start, length) in ds.GroupRuns())
        {
            for (var end = start + min - 1; end < start + length; end++)
            {
                var first = Math.Max(start, end - window + 1);
                var rows = norm.AsSpan(first * channels, (end - first + 1) * channels);
                if (!HasNaN(rows))
                {
                    ends.Add(end);
                    starts.Add(start);
                }
            }
        }

        return ends;
    }

    private static bool HasNaN(ReadOnlySpan<float> values)
    {
        foreach (var v in values)
        {
            if (float.IsNaN(v))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Loads data for a package: its channels and settings must be columns of the data.</summary>
    public static Dataset LoadFor(ModelManifest manifest, DataSource source)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(source);
        var (table, roles) = source.Load();
        foreach (var col in manifest.Input.Channels.Concat(manifest.Input.Settings))
        {
            if (!table.HasColumn(col))
            {
                throw new LabException($"{table.Source}: column '{col}' required by the model package not found; columns are: {string.Join(", ", table.ColumnNames)}");
            }
        }

        return Dataset.Create(table, roles with { Channels = manifest.Input.Channels }, manifest.Input.MinimumRows ?? manifest.Input.WindowLength, rejectConstant: false);
    }
}
