using EdgeGateway.Bus;
using EdgeGateway.Core.Alerts;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Core.Exceedances;
using EdgeGateway.Landing;

namespace EdgeGateway.Integration.Tests.Landing;

/// <summary>
/// A short landing on one channel: engine 1 EGT (label 345, SDI 01, 8 words/s) runs normally, then
/// above its 950 C red line for longer than the 5 s hold, then back to normal: one exceedance whose
/// evidence completes at a frame found by <see cref="FirstRaisingFrame"/>.
/// </summary>
internal static class EgtExceedanceFlight
{
    public const int RateHz = 8;

    // Octal 345.
    private const byte EgtLabel = 0b11_100_101;

    public static string LimitsPath => Path.Combine(RepoPaths.Root, "firmware-config", "exceedance-limits", "cfm56-5b.json");

    public static LabelTable Table() => LabelTableLoader.Load(RepoPaths.A320Table);

    public static AnalysisSetup Setup() => new() { Limits = ExceedanceLimitSet.Load(LimitsPath) };

    /// <summary>The frames: <paramref name="normalSeconds"/> at about 620 C, <paramref name="hotSeconds"/> at about 965 C, <paramref name="coolSeconds"/> at 640 C.</summary>
    public static AdapterFrame[] Frames(double normalSeconds = 8, double hotSeconds = 9, double coolSeconds = 3)
    {
        int total = (int)((normalSeconds + hotSeconds + coolSeconds) * RateHz);
        var frames = new AdapterFrame[total];
        const ulong start = 5_000_000;
        for (int i = 0; i < total; i++)
        {
            double s = (double)i / RateHz;
            double v = s < normalSeconds ? 620 + (i % 5) : s < normalSeconds + hotSeconds ? 965 + (i % 3) : 640 + (i % 2);
            uint word = ArincWord.Create(EgtLabel, 1, Bnr.EncodeData(v, 2048, 12), SsmRules.Encode(ArincEncoding.Bnr, WordStatus.Normal)).Raw;
            frames[i] = new AdapterFrame(0, start + ((ulong)i * 1_000_000 / RateHz), word, AdapterStatus.None);
        }

        return frames;
    }

    /// <summary>
    /// The number of frames after which the live analysis raises the EGT red line: the frames are fed
    /// one at a time, each followed by <see cref="LandingProcessor.Flush"/>, as the live session does
    /// after every adapter read. Frame <c>result - 1</c> is the last word of the evidence.
    /// </summary>
    public static int FirstRaisingFrame(AdapterFrame[] frames, out AlertReport report)
    {
        var table = Table();
        using var setup = Setup();
        using var analysis = new LandingAnalysis(table, setup, LandingProcessor.DefaultConditionedPeriod);
        using var processor = new LandingProcessor(table, sink: analysis);
        AlertReport? raised = null;
        analysis.RaiseLive(processor, DateTimeOffset.UnixEpoch, (_, r) => raised ??= r);
        for (int i = 0; i < frames.Length; i++)
        {
            processor.Process(frames.AsSpan(i, 1));
            processor.Flush();
            if (raised is not null)
            {
                report = raised;
                return i + 1;
            }
        }

        throw new InvalidOperationException("the flight never raises an alert live");
    }
}
