namespace EdgeGateway.Inference;

/// <summary>Settings of on-gateway inference. Defaults are documented per property; <see cref="Validate"/> names any bad value.</summary>
public sealed class InferenceOptions
{
    /// <summary>ONNX Runtime intra-op threads per session (default 1: the box has few cores and other work).</summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>ONNX Runtime inter-op threads per session (default 1).</summary>
    public int InterOpThreads { get; set; } = 1;

    /// <summary>Windows scored per ONNX Runtime call (default 64).</summary>
    public int BatchWindows { get; set; } = 64;

    /// <summary>
    /// Full batches of anomaly windows are scored on a thread-pool thread while the next batch is
    /// built (default true), so decoding and conditioning do not wait for ONNX Runtime. Scores and
    /// episodes are the same bits either way (a window keeps its slot); false scores on the caller's thread.
    /// </summary>
    public bool BackgroundScoring { get; set; } = true;

    /// <summary>Which model file of a package scores: <c>int8</c> (default, falls back to <c>fp32</c> when absent) or <c>fp32</c>.</summary>
    public string PreferredRole { get; set; } = "int8";

    /// <summary>Channels named as the explanation of an episode, most important first (default 3): at most this many, and after the first only those whose occlusion lowers the score.</summary>
    public int ExplainingChannels { get; set; } = 3;

    /// <summary>Population stability index above which an input's drift is a maintenance notice (default 0.25).</summary>
    public double DriftNoticePsi { get; set; } = 0.25;

    /// <summary>A RUL estimate below this many cycles raises an alert (default 30).</summary>
    public double RulAlertBelowCycles { get; set; } = 30;

    /// <summary>Length of the stable-cruise window a snapshot averages over (default 100 s, as onboard monitoring units do).</summary>
    public TimeSpan SnapshotWindow { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>A snapshot window is stable when each speed channel's range stays within this fraction of its mean (default 0.005).</summary>
    public double SnapshotStability { get; set; } = 0.005;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the setting, its value and what is allowed.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, object value, string allowed)
        {
            if (!ok)
            {
                throw new ArgumentOutOfRangeException(name, value, $"Inference:{name} = {value}; allowed: {allowed}");
            }
        }

        Check(IntraOpThreads is >= 1 and <= 64, nameof(IntraOpThreads), IntraOpThreads, "1..64");
        Check(InterOpThreads is >= 1 and <= 64, nameof(InterOpThreads), InterOpThreads, "1..64");
        Check(BatchWindows is >= 1 and <= 4096, nameof(BatchWindows), BatchWindows, "1..4096");
        Check(PreferredRole is "int8" or "fp32", nameof(PreferredRole), PreferredRole, "int8 or fp32");
        Check(ExplainingChannels is >= 1 and <= 64, nameof(ExplainingChannels), ExplainingChannels, "1..64");
        Check(DriftNoticePsi > 0 && double.IsFinite(DriftNoticePsi), nameof(DriftNoticePsi), DriftNoticePsi, "a positive number");
        Check(RulAlertBelowCycles >= 0 && double.IsFinite(RulAlertBelowCycles), nameof(RulAlertBelowCycles), RulAlertBelowCycles, "0 or more cycles");
        Check(SnapshotWindow >= TimeSpan.FromSeconds(5) && SnapshotWindow <= TimeSpan.FromHours(1), nameof(SnapshotWindow), SnapshotWindow, "5 s to 1 h");
        Check(SnapshotStability > 0 && SnapshotStability < 1, nameof(SnapshotStability), SnapshotStability, "between 0 and 1");
    }
}
