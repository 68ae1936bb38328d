using EdgeGateway.Core.Exceedances;

namespace EdgeGateway.Inference.Tests;

public sealed class ExceedanceDetectorTests
{
    private static readonly ExceedanceLimit s_egt = new("EGT red line", "EGT", LimitDirection.Above, LimitGrade.Warning, 950, "degC", TimeSpan.FromSeconds(5), "public", "");
    private static readonly ExceedanceLimit s_oil = new("Oil pressure low", "OilPressure", LimitDirection.Below, LimitGrade.Warning, 13, "psi", TimeSpan.FromSeconds(10), "placeholder", "");
    private static readonly ExceedanceLimitSet s_set = new("TEST", "", [s_egt, s_oil], "test.json");

    private static float[] Series(int length, float normal, int from, int to, float beyond)
    {
        var v = new float[length];
        for (int i = 0; i < length; i++)
        {
            v[i] = i >= from && i < to ? beyond : normal;
        }

        return v;
    }

    [Fact]
    public void Complete_HeldLongerThanHold_OneExceedanceWithPeak()
    {
        var d = new ExceedanceDetector(s_set, 2, TimeSpan.FromSeconds(1));
        var v = Series(100, 800, 40, 47, 960);
        v[43] = 970;
        d.Add(d.SlotsFor(2, "EGT"), 1000, v);
        var f = Assert.Single(d.Complete());
        Assert.Equal((2, 1040L, 1047L, 970.0, false), (f.EnginePosition, f.Start, f.End, f.Peak, f.OpenAtEnd));
    }

    [Fact]
    public void Complete_ShorterThanHold_None()
    {
        var d = new ExceedanceDetector(s_set, 2, TimeSpan.FromSeconds(1));
        d.Add(d.SlotsFor(1, "EGT"), 0, Series(100, 800, 40, 44, 960));
        Assert.Empty(d.Complete());
    }

    [Fact]
    public void Opened_RunReachesHold_CalledOnceWithTheRunSoFar()
    {
        var d = new ExceedanceDetector(s_set, 2, TimeSpan.FromSeconds(1));
        var opened = new List<ExceedanceFinding>();
        d.Opened = opened.Add;
        var v = Series(100, 800, 40, 52, 960);
        v[42] = 975;
        var slots = d.SlotsFor(2, "EGT");
        d.Add(slots, 1000, v.AsSpan(0, 44));
        Assert.Empty(opened);
        d.Add(slots, 1044, v.AsSpan(44));

        var o = Assert.Single(opened);
        Assert.Equal((2, 1040L, 1045L, 975.0, true), (o.EnginePosition, o.Start, o.End, o.Peak, o.OpenAtEnd));
        var f = Assert.Single(d.Complete());
        Assert.Single(opened);
        Assert.Equal((o.EnginePosition, o.Limit, o.Start), (f.EnginePosition, f.Limit, f.Start));
    }

    [Fact]
    public void Opened_ShorterThanHold_NotCalled()
    {
        var d = new ExceedanceDetector(s_set, 1, TimeSpan.FromSeconds(1));
        var opened = new List<ExceedanceFinding>();
        d.Opened = opened.Add;
        d.Add(d.SlotsFor(1, "EGT"), 0, Series(100, 800, 40, 44, 960));
        d.Complete();
        Assert.Empty(opened);
    }

    [Fact]
    public void Add_GapInsideRun_SplitsIt()
    {
        var d = new ExceedanceDetector(s_set, 1, TimeSpan.FromSeconds(1));
        var v = Series(100, 800, 40, 48, 960);
        v[44] = float.NaN;
        d.Add(d.SlotsFor(1, "EGT"), 0, v);
        Assert.Empty(d.Complete());
    }

    [Fact]
    public void Add_RunAcrossCalls_JoinedAndOpenAtEnd()
    {
        var d = new ExceedanceDetector(s_set, 1, TimeSpan.FromSeconds(1));
        var slots = d.SlotsFor(1, "OilPressure");
        d.Add(slots, 0, Series(50, 40, 45, 50, 5));
        d.Add(slots, 50, Series(20, 5, 0, 20, 5));
        var f = Assert.Single(d.Complete());
        Assert.Equal((45L, 70L, 5.0, true), (f.Start, f.End, f.Peak, f.OpenAtEnd));
    }

    [Fact]
    public void Load_ShippedCfm56Limits_HasPublicRedLinesAndPlaceholders()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "EdgeGateway.sln")))
        {
            dir = Path.GetDirectoryName(dir)!;
        }

        var set = ExceedanceLimitSet.Find(Path.Combine(dir, "firmware-config", "exceedance-limits"), "cfm56-5b4");
        Assert.NotNull(set);
        var egt = Assert.Single(set!.Limits, l => l.Name == "EGT red line");
        Assert.Equal((950.0, LimitGrade.Warning, "public"), (egt.Threshold, egt.Grade, egt.Provenance));
        Assert.Contains(set.Limits, l => l.Provenance == "placeholder");
    }

    [Fact]
    public void Load_BadProvenanceAndHold_ListsEveryProblem()
    {
        var path = Path.Combine(Path.GetTempPath(), $"limits-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "formatVersion": 1, "engineType": "X", "limits": [ { "name": "a", "parameter": "EGT", "direction": "above", "grade": "warning", "threshold": 1, "holdForSeconds": -1, "provenance": "guess" } ] }""");
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => ExceedanceLimitSet.Load(path));
            Assert.Contains("holdForSeconds -1 must be 0..3600", e.Message, StringComparison.Ordinal);
            Assert.Contains("provenance 'guess'", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
