using EdgeGateway.ModelLab.Cli;
using EdgeGateway.ModelLab.Data;
using EdgeGateway.ModelLab.Packaging;

namespace EdgeGateway.ModelLab.Tests;

public class PackageScorerRulTests
{
    [Fact]
    public void ScoreRows_ShippedRulPackage_ScoresFromTheMinimumHistoryAndAgreesWithItsEvaluation()
    {
        var root = RepoPaths.Root();
        var cmapss = RepoPaths.Cmapss();
        Assert.NotNull(cmapss);
        var package = Path.Combine(root, "models", "rul");
        var manifest = PackageReader.ReadManifest(package);
        var source = DataSource.FromArgs(new CliArgs(
        [
            "score", "--sql", Path.Combine(package, "queries", "cmapss_test.sql"),
            "--set", $"cmapss={cmapss}", "--set", $"meta={Path.Combine(package, "data", "subsets.csv")}",
        ]));

        // FD001's shortest test unit (31 cycles) is shorter than the window; the data is still accepted.
        var ds = PackageScorer.LoadFor(manifest, source);
        var scores = PackageScorer.ScoreRows(package, manifest, ds);
        int min = manifest.Input.MinimumRows ?? manifest.Input.WindowLength;
        var truth = ds.Table.Numbers("true_rul");
        var subsets = ds.Table.Texts("subset");
        var squared = new List<double>();
        foreach (var (_, start, length) in ds.GroupRuns())
        {
            // Nothing before the minimum history, a score from it on.
            Assert.All(Enumerable.Range(start, min - 1), r => Assert.True(double.IsNaN(scores[r])));
            Assert.All(Enumerable.Range(start + min - 1, length - min + 1), r => Assert.False(double.IsNaN(scores[r])));
            var last = start + length - 1;
            if (subsets[last] == "FD001")
            {
                squared.Add(Math.Pow(scores[last] - truth[last], 2));
            }
        }

        // The last-cycle scores are the package's evaluation: the manifest's FD001 RMSE.
        Assert.Equal(100, squared.Count);
        Assert.Equal(manifest.Metric("test.subset.FD001.rmse")!.Value, Math.Sqrt(squared.Average()), 3);
    }
}
