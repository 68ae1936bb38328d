using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Packaging;

namespace EdgeGateway.ModelLab.Tests;

public class PackageBuilderTests
{
    [Fact]
    public void Baselines_WithGroups_NoticeLimitIsTheMostDifferentNormalGroup()
    {
        // Two landings of 1,000 values: one spread over the range, one in its upper half only.
        var values = new double[2000];
        var groups = new string[2000];
        for (var i = 0; i < 1000; i++)
        {
            values[i] = i / 1000.0;
            groups[i] = "a";
            values[1000 + i] = 0.5 + (i / 2000.0);
            groups[1000 + i] = "b";
        }

        var b = Assert.Single(PackageBuilder.Baselines(["x"], [values], groups));
        var edges = b.Edges.ToArray();
        double Psi(int from, int count)
        {
            var counts = new long[b.Fractions.Count];
            for (var i = from; i < from + count; i++)
            {
                counts[PopulationStability.Bin(edges, values[i])]++;
            }

            return PopulationStability.Psi(counts, b.Fractions);
        }

        Assert.NotNull(b.NoticePsi);
        Assert.Equal(Math.Max(Psi(0, 1000), Psi(1000, 1000)), b.NoticePsi!.Value, 12);
        Assert.True(Psi(1000, 1000) > Psi(0, 1000));
        Assert.Null(Assert.Single(PackageBuilder.Baselines(["x"], [values])).NoticePsi);
    }

    [Fact]
    public void Baselines_GroupsTooShort_NoNoticeLimit()
    {
        var values = Enumerable.Range(0, 100).Select(i => (double)i).ToArray();
        var groups = Enumerable.Range(0, 100).Select(i => (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Null(Assert.Single(PackageBuilder.Baselines(["x"], [values], groups)).NoticePsi);
    }
}
