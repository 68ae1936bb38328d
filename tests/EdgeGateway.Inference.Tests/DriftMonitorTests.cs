using EdgeGateway.Core.Models;
using EdgeGateway.Inference.Drift;

namespace EdgeGateway.Inference.Tests;

public sealed class DriftMonitorTests
{
    private static readonly ChannelBaseline s_uniform = new("EGT", [0, 1, 2, 3, 4], [0.25, 0.25, 0.25, 0.25], 2, 1.15);

    [Fact]
    public void Results_SameDistribution_PsiNearZero()
    {
        var m = new DriftMonitor([s_uniform], 0.25);
        m.Add(0, [0.5f, 1.5f, 2.5f, 3.5f, float.NaN]);
        var r = Assert.Single(m.Results());
        Assert.Equal(4, r.Values);
        Assert.Equal(0, r.Psi, 9);
        Assert.False(r.Notice);
    }

    [Fact]
    public void Results_AllInOneBin_MatchesHandComputedPsi()
    {
        var m = new DriftMonitor([s_uniform], 0.25);
        m.Add(0, [3.2f, 3.9f, 9f]); // 9 is beyond the last edge: last bin
        var r = Assert.Single(m.Results());
        double floor = DriftMonitor.FractionFloor;
        double expected = (3 * (floor - 0.25) * Math.Log(floor / 0.25)) + ((1 - 0.25) * Math.Log(1 / 0.25));
        Assert.Equal(expected, r.Psi, 9);
        Assert.True(r.Notice);
    }

    [Fact]
    public void Results_NoValues_PsiNaN()
    {
        var m = new DriftMonitor([s_uniform], 0.25);
        Assert.True(double.IsNaN(Assert.Single(m.Results()).Psi));
    }

    [Fact]
    public void Results_PackageNoticeLimit_OnlyAShiftBeyondEveryNormalLandingIsANotice()
    {
        // All values in one bin: PSI about 6.9, far above the configured 0.25.
        var trained = s_uniform with { NoticePsi = 10.0 };
        var m = new DriftMonitor([trained], 0.25);
        m.Add(0, [3.2f, 3.9f]);
        var r = Assert.Single(m.Results());
        Assert.InRange(r.Psi, 5.0, 10.0);
        Assert.False(r.Notice);

        var strict = new DriftMonitor([s_uniform with { NoticePsi = 5.0 }], 0.25);
        strict.Add(0, [3.2f, 3.9f]);
        Assert.True(Assert.Single(strict.Results()).Notice);

        // The configured threshold still applies when the package's limit is lower.
        var configured = new DriftMonitor([s_uniform with { NoticePsi = 0.01 }], 10.0);
        configured.Add(0, [3.2f, 3.9f]);
        Assert.False(Assert.Single(configured.Results()).Notice);
    }
}
