using System.Globalization;
using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Onnx;

namespace EdgeGateway.ModelLab.Anomaly;

/// <summary>
/// Engine-to-engine split of one parameter (EGT; or, counting falls, oil quantity; or the ratio of fuel flows): the change of P(engine) - P(other engine) over
/// the window (mean of the last <see cref="WindowFeatures.ChangeBlock"/> rows minus the first, in
/// the parameter's raw units) less the part that the engines' slightly different thrust changes
/// explain, k times the change of G(engine) - G(other engine) with k fitted on steady normal
/// windows; that correction is subtracted only where it is positive, so a fault of the other
/// engine's gate sensor (stuck, drifting) can lower the split but never raise it. Counted only when
/// it rises (ReLU) and only when both engines' gate
/// channel (N1) stays within <see cref="Steady"/> raw units over the window, or, written <c>=STEADY</c>
/// (<see cref="EndsGate"/>), ends it within that of where it began (at a thrust change a
/// thrust-dependent fault moves the healthy engine's split too). The engine's own offset and what
/// altitude does to both engines drop out of d; a fault on the other engine makes d fall, so the
/// healthy engine is not raised. A companion target without any range over the window (a stuck
/// sensor on the other engine: the split would follow this engine's normal EGT) also gates it off.
/// A split written <c>-P:...</c> counts falls instead of rises (an oil leak makes the engine's
/// quantity fall against the other's): the change is negated before everything above. A split
/// written <c>ln(P):...</c> compares ln P - ln P@other (raw values, floored at <see cref="LogFloor"/>):
/// the engines' ratio, for fuel flow, which altitude scales on both engines alike.
/// Reads the companion inputs <c>P@other</c> and <c>GATE@other</c>
/// (see <see cref="CompanionSuffix"/>). Its term in the score is <see cref="Raw"/> times
/// <see cref="Weight"/>, fitted so that the split's limit on normal windows equals the decision
/// threshold.
/// </summary>
public sealed class EngineSplit
{
    /// <summary>Suffix of a companion input: the same parameter of the aircraft's other engine at the same grid second.</summary>
    public const string CompanionSuffix = OtherEngineStandIn.Suffix;

    /// <summary>Smallest scaled range of the other engine's target over the window for the split to count (a stuck sensor has none).</summary>
    public const float StuckRange = 1e-3f;

    private readonly float[] _change;

    private EngineSplit(string spec, int index, float sign, bool log, double margin, int window, int changeBlock, int target, int targetOther, int gate, int gateOther, float targetStd, float targetOtherStd, float targetMean, float targetOtherMean, float gateStd, float gateOtherStd, double steady, bool endsGate, float gateLimit, float gateOtherLimit, double gateSlope, double limit, double weight)
    {
        EndsGate = endsGate;
        Index = index;
        Log = log;
        TargetMean = targetMean;
        TargetOtherMean = targetOtherMean;
        Sign = sign;
        Margin = margin;
        GateStd = gateStd;
        GateOtherStd = gateOtherStd;
        GateSlope = gateSlope;
        Spec = spec;
        Window = window;
        ChangeBlock = changeBlock;
        Target = target;
        TargetOther = targetOther;
        Gate = gate;
        GateOther = gateOther;
        TargetStd = targetStd;
        TargetOtherStd = targetOtherStd;
        Steady = steady;
        GateLimit = gateLimit;
        GateOtherLimit = gateOtherLimit;
        Limit = limit;
        Weight = weight;
        _change = new float[window];
        for (var t = 0; t < changeBlock; t++)
        {
            _change[t] -= 1f / changeBlock;
            _change[window - changeBlock + t] += 1f / changeBlock;
        }
    }

    /// <summary>The option as given: <c>[-]TARGET:GATE:[=]STEADY[:MARGIN]</c>, TARGET a channel or <c>ln(channel)</c>.</summary>
    public string Spec { get; }

    /// <summary>Position among the package's splits (its column in the graph's split nodes, its metric names).</summary>
    public int Index { get; }

    /// <summary>+1 when rises count (<c>TARGET:...</c>), -1 when falls count (<c>-TARGET:...</c>).</summary>
    public float Sign { get; }

    /// <summary>
    /// True for <c>ln(P):...</c>: the split compares ln P - ln P@other (the engines' ratio), for a
    /// parameter that altitude scales rather than shifts (fuel flow): a ratio stays put where a
    /// difference moves with the level. Its change and limit are then natural-log units (0.01 is 1 %).
    /// </summary>
    public bool Log { get; }

    /// <summary>Raw values below this count as it before the logarithm of a <see cref="Log"/> split.</summary>
    public const float LogFloor = 1e-3f;

    /// <summary>Scaler mean of the target (a <see cref="Log"/> split takes the logarithm of raw values).</summary>
    public float TargetMean { get; }

    /// <summary>Scaler mean of the other engine's target.</summary>
    public float TargetOtherMean { get; }

    /// <summary>The compared quantity: <c>P</c>, or <c>ln P</c> for a <see cref="Log"/> split.</summary>
    private string Quantity(string channel) => Log ? $"ln {channel}" : channel;

    /// <summary>True when the split counts falls of the target against the other engine.</summary>
    public bool Falling => Sign < 0;

    /// <summary>The split's own margin over its largest value on normal training windows (<c>:MARGIN</c>); NaN: the <c>--split-margin</c> option's.</summary>
    public double Margin { get; }

    /// <summary>The margin this split's limit uses: its own, or <paramref name="optionMargin"/> (<c>--split-margin</c>) when its spec gives none.</summary>
    public double MarginOr(double optionMargin) => double.IsNaN(Margin) ? optionMargin : Margin;

    /// <summary>"rise" or "fall": what the split counts.</summary>
    public string Direction => Falling ? "fall" : "rise";

    /// <summary>Rows per window.</summary>
    public int Window { get; }

    /// <summary>Rows at each end of the window whose means are compared.</summary>
    public int ChangeBlock { get; }

    /// <summary>Index of the engine's own target channel (EGT).</summary>
    public int Target { get; }

    /// <summary>Index of the other engine's target channel (EGT@other).</summary>
    public int TargetOther { get; }

    /// <summary>Index of the engine's own gate channel (N1).</summary>
    public int Gate { get; }

    /// <summary>Index of the other engine's gate channel (N1@other).</summary>
    public int GateOther { get; }

    /// <summary>Scaler deviation of the target: scaled times it is raw units (the mean drops out of a change).</summary>
    public float TargetStd { get; }

    /// <summary>Scaler deviation of the other engine's target.</summary>
    public float TargetOtherStd { get; }

    /// <summary>Scaler deviation of the gate channel.</summary>
    public float GateStd { get; }

    /// <summary>Scaler deviation of the other engine's gate channel.</summary>
    public float GateOtherStd { get; }

    /// <summary>Target units per gate unit taken out of the split: k in d = (P - P@other) - k (G - G@other), least squares on steady normal training windows.</summary>
    public double GateSlope { get; }

    /// <summary>
    /// Largest movement of the gate channel, raw units, for the window to count as steady: its range
    /// over the window, or with <see cref="EndsGate"/> the change of its mean between the compared
    /// first and last <see cref="ChangeBlock"/> rows.
    /// </summary>
    public double Steady { get; }

    /// <summary>
    /// True for <c>...:=STEADY</c>: each engine's gate channel must end the window where it began
    /// (mean of the last <see cref="ChangeBlock"/> rows within <see cref="Steady"/> of the first's),
    /// whatever it does in between. The split compares only those rows, so a thrust change that is
    /// undone within the window (a descent's thrust bursts) leaves it alone, while a fault that
    /// scales with thrust still moves the healthy engine's split where the thrust differs at the ends.
    /// </summary>
    public bool EndsGate { get; }

    /// <summary><see cref="Steady"/> in the gate's scaled units.</summary>
    public float GateLimit { get; }

    /// <summary><see cref="Steady"/> in the other engine's gate's scaled units.</summary>
    public float GateOtherLimit { get; }

    /// <summary>Split rise (raw units) that equals the decision threshold: the largest on normal training windows times the margin.</summary>
    public double Limit { get; }

    /// <summary>Score per raw unit of split rise: threshold / <see cref="Limit"/>.</summary>
    public double Weight { get; }

    /// <summary>True for a companion input name (<c>P@other</c>).</summary>
    public static bool IsCompanion(string name) => name.EndsWith(CompanionSuffix, StringComparison.Ordinal);

    /// <summary>
    /// Checks the companion inputs: each <c>P@other</c> names an own-engine channel P, and every
    /// companion comes after every own channel (the feature layer reads the first channels as the
    /// engine's own). Returns the number of own channels.
    /// </summary>
    public static int OwnChannels(IReadOnlyList<string> names, string source)
    {
        ArgumentNullException.ThrowIfNull(names);
        var own = 0;
        while (own < names.Count && !IsCompanion(names[own]))
        {
            own++;
        }

        for (var i = own; i < names.Count; i++)
        {
            if (!IsCompanion(names[i]))
            {
                throw new LabException($"{source}: channel '{names[i]}' comes after the companion input '{names[own]}'; list the engine's own channels first, then the {CompanionSuffix} ones");
            }

            var baseName = names[i][..^CompanionSuffix.Length];
            if (!names.Take(own).Contains(baseName, StringComparer.Ordinal))
            {
                throw new LabException($"{source}: companion input '{names[i]}' has no own-engine channel '{baseName}' among the channels ({string.Join(",", names)})");
            }
        }

        return own;
    }

    /// <summary>
    /// Parses a comma-separated list of splits (<see cref="Parse"/>), numbering them in order;
    /// a channel may have one rising and one falling split, not two of one direction.
    /// </summary>
    public static IReadOnlyList<EngineSplit> ParseList(string specs, IReadOnlyList<string> names, ScalerSpec scaler, int window, int changeBlock)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var list = new List<EngineSplit>();
        foreach (var spec in specs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var split = Parse(spec, names, scaler, window, changeBlock, list.Count);
            if (list.Find(s => s.Target == split.Target && s.Sign == split.Sign) is { } twice)
            {
                throw new LabException($"--engine-split '{specs}': '{twice.Spec}' and '{spec}' both count {split.Direction}s of the same channel; give each direction one split");
            }

            list.Add(split);
        }

        return list;
    }

    /// <summary>
    /// Parses <c>[-]TARGET:GATE:[=]STEADY[:MARGIN]</c>, TARGET a channel or <c>ln(channel)</c> (e.g. <c>EGT:N1:4</c>, <c>-OilQuantity:N2:100:2</c>, <c>ln(FuelFlow):N1:1</c>)
    /// against the channel names (which must hold TARGET, TARGET@other, GATE and GATE@other) and
    /// converts the steadiness limit with the scaler. A leading <c>-</c> counts falls; MARGIN, when
    /// given, replaces <c>--split-margin</c> for this split. The limit and weight are fitted later
    /// (<see cref="WithLimit"/>).
    /// </summary>
    public static EngineSplit Parse(string spec, IReadOnlyList<string> names, ScalerSpec scaler, int window, int changeBlock, int index = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(scaler);
        var falling = spec.StartsWith('-');
        var parts = (falling ? spec[1..] : spec).Split(':');
        var log = parts[0].StartsWith("ln(", StringComparison.Ordinal) && parts[0].EndsWith(')') && parts[0].Length > 4;
        if (log)
        {
            parts[0] = parts[0][3..^1];
        }

        var margin = double.NaN;
        if (parts.Length is not (3 or 4)
            || !double.TryParse(parts[2].TrimStart('='), NumberStyles.Float, CultureInfo.InvariantCulture, out var steady) || !(steady > 0) || !double.IsFinite(steady)
            || (parts.Length == 4 && (!double.TryParse(parts[3], NumberStyles.Float, CultureInfo.InvariantCulture, out margin) || !(margin >= 1) || !double.IsFinite(margin))))
        {
            throw new LabException($"--engine-split '{spec}' is not [-]TARGET:GATE:STEADY[:MARGIN] (TARGET a channel or ln(channel); STEADY D, GATE's largest range over the window, or =D, its largest change between the two ends of the window the split compares) with a positive steadiness limit and a margin of at least 1 (e.g. EGT:N1:=3, -OilQuantity:N2:100:2 or ln(FuelFlow):N1:1)");
        }

        int Index(string name)
        {
            var i = -1;
            for (var j = 0; j < names.Count; j++)
            {
                if (string.Equals(names[j], name, StringComparison.Ordinal))
                {
                    i = j;
                }
            }

            return i >= 0 ? i : throw new LabException($"--engine-split '{spec}': channel '{name}' is not among the channels ({string.Join(",", names)})");
        }

        var target = Index(parts[0]);
        var targetOther = Index(parts[0] + CompanionSuffix);
        var gate = Index(parts[1]);
        var gateOther = Index(parts[1] + CompanionSuffix);
        if (scaler.RegimeCount != 1)
        {
            throw new LabException($"--engine-split '{spec}' needs one scaler regime (no --settings); the split is converted to raw units with the scaler");
        }

        var std = scaler.ChannelStd[0];
        var mean = scaler.ChannelMean[0];
        return new EngineSplit(
            spec,
            index,
            falling ? -1f : 1f,
            log,
            margin,
            window,
            changeBlock,
            target,
            targetOther,
            gate,
            gateOther,
            (float)std[target],
            (float)std[targetOther],
            (float)mean[target],
            (float)mean[targetOther],
            (float)std[gate],
            (float)std[gateOther],
            steady,
            parts[2].StartsWith('='),
            (float)(steady / std[gate]),
            (float)(steady / std[gateOther]),
            0,
            double.NaN,
            0);
    }

    /// <summary>The same split with its limit (raw units) mapped onto <paramref name="threshold"/>.</summary>
    public EngineSplit WithLimit(double limit, double threshold)
    {
        if (!(limit > 0) || !double.IsFinite(limit))
        {
            throw new LabException($"--engine-split '{Spec}': the split's limit on normal training windows is {limit}; it needs steady normal windows where the split {Direction}s");
        }

        return new EngineSplit(Spec, Index, Sign, Log, Margin, Window, ChangeBlock, Target, TargetOther, Gate, GateOther, TargetStd, TargetOtherStd, TargetMean, TargetOtherMean, GateStd, GateOtherStd, Steady, EndsGate, GateLimit, GateOtherLimit, GateSlope, limit, threshold / limit);
    }

    /// <summary>
    /// The same split with <see cref="GateSlope"/> fitted by least squares (through the origin) of the
    /// target split's change on the gate split's change over the windows that pass the gates.
    /// </summary>
    public EngineSplit WithGateSlope(IEnumerable<float[]> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        double sxy = 0, sxx = 0;
        var n = 0;
        foreach (var x in windows)
        {
            var (target, gate, passes) = Changes(x);
            if (passes)
            {
                sxy += (double)target * gate;
                sxx += (double)gate * gate;
                n++;
            }
        }

        if (n == 0 || !(sxx > 0))
        {
            throw new LabException($"--engine-split '{Spec}': no normal training window passes the steadiness gate ({n}); raise the limit");
        }

        return new EngineSplit(Spec, Index, Sign, Log, Margin, Window, ChangeBlock, Target, TargetOther, Gate, GateOther, TargetStd, TargetOtherStd, TargetMean, TargetOtherMean, GateStd, GateOtherStd, Steady, EndsGate, GateLimit, GateOtherLimit, sxy / sxx, Limit, Weight);
    }

    /// <summary>The gated, one-sided split rise (or fall) of one scaled, flattened window, in the target's raw units.</summary>
    public float Raw(ReadOnlySpan<float> x)
    {
        var k = (float)GateSlope;
        var (change, correction, steady) = Scan(x, k * GateStd, -k * GateOtherStd);
        return steady ? Math.Max(change - Math.Max(correction, 0f), 0f) : 0f;
    }

    /// <summary>Changes of the target split and the gate split (raw units) over one window, and whether it passes the gates.</summary>
    private (float Target, float Gate, bool Passes) Changes(ReadOnlySpan<float> x) => Scan(x, GateStd, -GateOtherStd);

    // One pass over a window: the change of the target split (raw units), the change of the gate
    // channels weighted by (gate, gateOther), and the steadiness and stuck-sensor gates.
    private (float Target, float Gate, bool Passes) Scan(ReadOnlySpan<float> x, float gateWeight, float gateOtherWeight)
    {
        var c = x.Length / Window;
        float target = 0, gate = 0;
        float targetWeight = Sign * TargetStd, targetOtherWeight = Sign * TargetOtherStd;
        float gMin = float.PositiveInfinity, gMax = float.NegativeInfinity, oMin = float.PositiveInfinity, oMax = float.NegativeInfinity;
        float tMin = float.PositiveInfinity, tMax = float.NegativeInfinity;
        float gEnds = 0, oEnds = 0;
        for (var t = 0; t < Window; t++)
        {
            var row = x.Slice(t * c, c);
            gEnds += _change[t] * row[Gate];
            oEnds += _change[t] * row[GateOther];
            target += Log
                ? _change[t] * Sign * (MathF.Log(Math.Max((row[Target] * TargetStd) + TargetMean, LogFloor)) - MathF.Log(Math.Max((row[TargetOther] * TargetOtherStd) + TargetOtherMean, LogFloor)))
                : _change[t] * ((row[Target] * targetWeight) + (row[TargetOther] * -targetOtherWeight));
            gate += _change[t] * ((row[Gate] * gateWeight) + (row[GateOther] * gateOtherWeight));
            gMin = Math.Min(gMin, row[Gate]);
            gMax = Math.Max(gMax, row[Gate]);
            oMin = Math.Min(oMin, row[GateOther]);
            oMax = Math.Max(oMax, row[GateOther]);
            tMin = Math.Min(tMin, row[TargetOther]);
            tMax = Math.Max(tMax, row[TargetOther]);
        }

        var steady = EndsGate
            ? Math.Abs(gEnds) <= GateLimit && Math.Abs(oEnds) <= GateOtherLimit
            : gMax - gMin <= GateLimit && oMax - oMin <= GateOtherLimit;
        return (target, gate, steady && tMax - tMin >= StuckRange);
    }

    /// <summary>
    /// One sentence for manifests and model cards: what the split measures, its gates and the
    /// figure that scores the decision threshold (<paramref name="defaultMargin"/>: the
    /// <c>--split-margin</c> used when the spec gives none).
    /// </summary>
    public string Describe(IReadOnlyList<string> channels, double defaultMargin)
    {
        ArgumentNullException.ThrowIfNull(channels);
        return string.Create(CultureInfo.InvariantCulture, $"the {Direction} of {Quantity(channels[Target])} - {Quantity(channels[TargetOther])} over the window (last {ChangeBlock} s minus first) less {GateSlope:G4} x the change of {channels[Gate]} - {channels[GateOther]} where that is positive, counted when {(EndsGate ? $"each engine's {channels[Gate]} moves by at most {Steady:G4} between the window's first and last {ChangeBlock} s" : $"both engines' {channels[Gate]} stay within {Steady:G4} over the window")} and {channels[TargetOther]} moves; a {Direction} of {Limit:G4} (the largest on normal training windows times {MarginOr(defaultMargin):R}) scores the decision threshold");
    }

    /// <summary>The split's term in the score: <see cref="Raw"/> times <see cref="Weight"/>.</summary>
    public double Term(ReadOnlySpan<float> x) => Raw(x) * (float)Weight;

    /// <summary>
    /// Appends the largest of the splits' score terms, <c>[N, 1]</c>, reading the time-last window
    /// <paramref name="timeLast"/> <c>[N, C, W]</c> and the feature layer's time weights
    /// <paramref name="timeWeights"/> <c>[W, 3]</c> (its third column is the change); returns its
    /// name. Every channel's change and range come from one product and two reductions over the
    /// whole window (no per-split copies of the window's rows); the S splits then work on S columns
    /// at once, so a further split adds constants, not nodes.
    /// </summary>
    public static string AppendTerms(OnnxGraphBuilder b, IReadOnlyList<EngineSplit> splits, int channels, string timeLast, string timeWeights)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(splits);
        var n = splits.Count;
        if (n == 0)
        {
            throw new ArgumentException("no split to append", nameof(splits));
        }

        // Changes of every channel [N, C, 1] -> [N, C]; times [C, 2S]: each split's target change
        // (signed) in the first S columns, k times its gate split's change in the last S.
        var weights = b.Node("Slice", [timeWeights, b.AddInt64("s_change_start", [2L], 1), b.AddInt64("s_change_end", [3L], 1), b.AddInt64("s_change_axis", [1L], 1)], "s_change_weights");
        var changes = b.Node("Reshape", [b.Node("MatMul", [timeLast, weights], "s_changes3"), b.AddInt64("s_changes_shape", [0L, channels], 2)], "s_changes");

        // Log splits compare ln P - ln P@other: the L channels they read are gathered, unscaled and
        // logged, and their changes [N, L] join the others as rows C.. C+L-1 of the mix.
        var logChannels = splits.Where(s => s.Log).SelectMany(s => new[] { s.Target, s.TargetOther }).Distinct().Order().ToArray();
        var rows = channels + logChannels.Length;
        var splitInputs = changes;
        if (logChannels.Length > 0)
        {
            var l = logChannels.Length;
            var std = new float[l];
            var mean = new float[l];
            foreach (var sp in splits.Where(s => s.Log))
            {
                std[Array.IndexOf(logChannels, sp.Target)] = sp.TargetStd;
                mean[Array.IndexOf(logChannels, sp.Target)] = sp.TargetMean;
                std[Array.IndexOf(logChannels, sp.TargetOther)] = sp.TargetOtherStd;
                mean[Array.IndexOf(logChannels, sp.TargetOther)] = sp.TargetOtherMean;
            }

            var picked = b.Node("Gather", [timeLast, b.AddInt64("s_log_index", [.. logChannels.Select(c => (long)c)], l)], "s_log_scaled", OnnxGraphBuilder.IntAttr("axis", 1));
            var raw = b.Node("Add", [b.Node("Mul", [picked, b.AddFloat("s_log_std", std, l, 1)], "s_log_scaled_std"), b.AddFloat("s_log_mean", mean, l, 1)], "s_log_raw");
            var logs = b.Node("Log", [b.Node("Max", [raw, b.AddFloat("s_log_floor", [LogFloor], 1)], "s_log_floored")], "s_log");
            var logChanges = b.Node("Reshape", [b.Node("MatMul", [logs, weights], "s_log_changes3"), b.AddInt64("s_log_changes_shape", [0L, l], 2)], "s_log_changes");
            splitInputs = b.Node("Concat", [changes, logChanges], "s_all_changes", OnnxGraphBuilder.IntAttr("axis", 1));
        }

        var mix = new float[rows * 2 * n];
        for (var i = 0; i < n; i++)
        {
            var sp = splits[i];
            var k = (float)sp.GateSlope;
            if (sp.Log)
            {
                mix[((channels + Array.IndexOf(logChannels, sp.Target)) * 2 * n) + i] += sp.Sign;
                mix[((channels + Array.IndexOf(logChannels, sp.TargetOther)) * 2 * n) + i] += -sp.Sign;
            }
            else
            {
                mix[(sp.Target * 2 * n) + i] += sp.Sign * sp.TargetStd;
                mix[(sp.TargetOther * 2 * n) + i] += -sp.Sign * sp.TargetOtherStd;
            }

            mix[(sp.Gate * 2 * n) + n + i] += k * sp.GateStd;
            mix[(sp.GateOther * 2 * n) + n + i] += -k * sp.GateOtherStd;
        }

        var both = b.Node("MatMul", [splitInputs, b.AddFloat("s_split_weights", mix, rows, 2 * n)], "s_split_changes");
        var axis1 = b.AddInt64("s_axis1", [1L], 1);
        var change = b.Node("Slice", [both, b.AddInt64("s_c0", [0L], 1), b.AddInt64("s_c1", [(long)n], 1), axis1], "s_change");
        var correction = b.Node("Relu", [b.Node("Slice", [both, "s_c1", b.AddInt64("s_c2", [2L * n], 1), axis1], "s_correction_raw")], "s_correction");
        var rise = b.Node("Relu", [b.Node("Sub", [change, correction], "s_corrected")], "s_rise");

        // Ranges of every channel over the window [N, C]; the gates [N, S, 2] read theirs: both
        // engines' gate channel within its steadiness limit, the other engine's target moving at all
        // (the own target's floor of -1 is below any range).
        var max = b.Node("ReduceMax", [timeLast], "s_max", OnnxGraphBuilder.IntsAttr("axes", 2), OnnxGraphBuilder.IntAttr("keepdims", 0));
        var min = b.Node("ReduceMin", [timeLast], "s_min", OnnxGraphBuilder.IntsAttr("axes", 2), OnnxGraphBuilder.IntAttr("keepdims", 0));
        var span = b.Node("Sub", [max, min], "s_span");

        // A range gate reads a gate channel's span (column g), an ends gate the size of its change
        // between the compared ends (column C + g of [span | |change|], formed only when needed).
        var gateMeasure = span;
        if (splits.Any(s => s.EndsGate))
        {
            gateMeasure = b.Node("Concat", [span, b.Node("Abs", [changes], "s_change_size")], "s_gate_measures", OnnxGraphBuilder.IntAttr("axis", 1));
        }

        string Pick(string source, string name, long[] index) =>
            b.Node("Gather", [source, b.AddInt64($"s_{name}_index", index, index.Length)], $"s_{name}_span", OnnxGraphBuilder.IntAttr("axis", 1));

        var pairShape = b.AddInt64("s_pair_shape", [0L, n, 2L], 3);
        var within = b.Node("LessOrEqual", [Pick(gateMeasure, "gate", [.. splits.SelectMany(s => new long[] { s.Gate + (s.EndsGate ? channels : 0), s.GateOther + (s.EndsGate ? channels : 0) })]), b.AddFloat("s_gate_limit", [.. splits.SelectMany(s => new[] { s.GateLimit, s.GateOtherLimit })], 2 * n)], "s_gate_within");
        var alive = b.Node("GreaterOrEqual", [Pick(span, "target", [.. splits.SelectMany(s => new long[] { s.Target, s.TargetOther })]), b.AddFloat("s_target_floor", [.. splits.SelectMany(_ => new[] { -1f, StuckRange })], 2 * n)], "s_target_alive");
        var all = b.Node(
            "Concat",
            [
                b.Node("Reshape", [b.Node("Cast", [within], "s_gate_within_f", OnnxGraphBuilder.IntAttr("to", 1)), pairShape], "s_gate_pairs"),
                b.Node("Reshape", [b.Node("Cast", [alive], "s_target_alive_f", OnnxGraphBuilder.IntAttr("to", 1)), pairShape], "s_target_pairs"),
            ],
            "s_conditions",
            OnnxGraphBuilder.IntAttr("axis", 2));
        var steady = b.Node("ReduceMin", [all], "s_steady", OnnxGraphBuilder.IntsAttr("axes", 2), OnnxGraphBuilder.IntAttr("keepdims", 0));
        var terms = b.Node("Mul", [b.Node("Mul", [rise, steady], "s_gated"), b.AddFloat("s_weight", [.. splits.Select(s => (float)s.Weight)], n)], "split_terms");
        return b.Node("ReduceMax", [terms], "split_term", OnnxGraphBuilder.IntsAttr("axes", 1), OnnxGraphBuilder.IntAttr("keepdims", 1));
    }
}
