using System.Globalization;
using System.Text;
using EdgeGateway.Core.Conditioning;
using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Anomaly;
using EdgeGateway.ModelLab.Data;

namespace EdgeGateway.ModelLab.Tests;

public class StandInWindowsTests
{
    // One flight of 12 rows: x, y, x@other and y@other. x@other is empty at rows 5-6, y at row 10.
    // Scaler: x mean 10 sd 2, y mean 0 sd 1, x@other mean 20 sd 4, y@other mean 1 sd 2.
    private static readonly ScalerSpec s_scaler = new([], [], [[]], [[10, 0, 20, 1]], [[2, 1, 4, 2]]);

    private static Dataset Flight(TempDir dir)
    {
        var csv = new StringBuilder("t,x,y,x@other,y@other,flight\n");
        for (int t = 0; t < 12; t++)
        {
            string other = t is 5 or 6 ? string.Empty : (30 + t).ToString(CultureInfo.InvariantCulture);
            string y = t == 10 ? string.Empty : (t % 3).ToString(CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{t},{10 + t},{y},{other},{t % 2},A\n");
        }

        return Dataset.Create(CsvTableReader.Read(dir.File("f.csv", csv.ToString())), new ColumnRoles(["x", "y", "x@other", "y@other"], "t", null, "flight", Gaps: true), 3);
    }

    [Fact]
    public void ScoredEnds_CompanionGap_ScoredOwnGap_Skipped()
    {
        using var dir = new TempDir();
        var ds = Flight(dir);

        // Windows of 3 rows end at 2..11; those holding row 10 (y empty) are not scored, those
        // holding rows 5-6 (x@other empty) are.
        Assert.Equal([2, 3, 4, 5, 6, 7, 8, 9], AnomalyTrainer.ScoredEnds(ds, 3, 1));
        Assert.True(ds.Gap[5]);
        Assert.False(ds.RequiredGap[5]);
        Assert.True(ds.RequiredGap[10]);
    }

    [Fact]
    public void Copy_WindowHoldingTheCompanionGap_WholeColumnIsTheOwnValueInTheCompanionsUnits()
    {
        using var dir = new TempDir();
        var ds = Flight(dir);
        var norm = Rul.RulTrainer.NormalizeRows(ds, ds.Table, [], s_scaler);
        var windows = new StandInWindows(ds, norm, [], s_scaler);
        var buffer = new float[12];

        // Rows 4-6 hold x@other's gap: x@other = (x - 20) / 4 in every row, and y@other, complete,
        // stands in too: (y - 1) / 2. x and y untouched.
        windows.Copy(6, 3, buffer);
        for (int r = 0; r < 3; r++)
        {
            double x = 14 + r, y = (4 + r) % 3;
            Assert.Equal((float)((x - 10) / 2), buffer[r * 4]);
            Assert.Equal((x - 20) / 4, buffer[(r * 4) + 2], 5);
            Assert.Equal(WindowBuilder.StandIn(buffer[r * 4], 2.0 / 4, (10.0 - 20) / 4), buffer[(r * 4) + 2]);
            Assert.Equal((y - 1) / 2, buffer[(r * 4) + 3], 5);
        }

        // Rows 7-9 do not: the other engine's own values.
        windows.Copy(9, 3, buffer);
        Assert.Equal([(float)((37 - 20) / 4.0), (float)((38 - 20) / 4.0), (float)((39 - 20) / 4.0)], [buffer[2], buffer[6], buffer[10]]);
        Assert.Equal([(float)((1 - 1) / 2.0), (float)((0 - 1) / 2.0), (float)((1 - 1) / 2.0)], [buffer[3], buffer[7], buffer[11]]);
        Assert.Equal(1, windows.WindowsWithStandIn);
    }

    [Fact]
    public void ScheduledEnds_OtherEnginesInputsMissingThroughout_PhasedFromTheOwnChannels()
    {
        using var dir = new TempDir();
        var csv = new StringBuilder("t,x,x@other,flight\n");
        foreach (var flight in new[] { "A", "B" })
        {
            for (int t = 0; t < 8; t++)
            {
                string x = t < 1 ? string.Empty : t.ToString(CultureInfo.InvariantCulture);
                string other = flight == "B" || t is < 3 or > 5 ? string.Empty : t.ToString(CultureInfo.InvariantCulture);
                csv.Append(CultureInfo.InvariantCulture, $"{t},{x},{other},{flight}\n");
            }
        }

        var ds = Dataset.Create(CsvTableReader.Read(dir.File("f.csv", csv.ToString())), new ColumnRoles(["x", "x@other"], "t", null, "flight", Gaps: true), 2);

        // A: from the first row with both (3), stride 2; B: x@other never came, from x's first row (1).
        var ends = AnomalyTrainer.ScheduledEnds(ds, 2, 2);
        Assert.Equal(["A4", "A6", "B2", "B4", "B6"], Enumerable.Range(0, ds.RowCount).Where(r => ends[r]).Select(r => ds.Groups[r] + ds.Time[r].ToString(CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Copy_ScalerWithSettings_StandInIsTheOwnRawValueNormalisedAsTheCompanion()
    {
        using var dir = new TempDir();
        var csv = new StringBuilder("t,s,x,x@other,flight\n");
        for (int t = 0; t < 6; t++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{t},{t % 2},{10 + t},{(t == 2 ? string.Empty : (30 + t).ToString(CultureInfo.InvariantCulture))},A\n");
        }

        var ds = Dataset.Create(CsvTableReader.Read(dir.File("f.csv", csv.ToString())), new ColumnRoles(["x", "x@other"], "t", null, "flight", Gaps: true), 3);

        // Two regimes by the setting s (0 or 1), with their own means and deviations.
        var scaler = new ScalerSpec([0.5], [0.5], [[-1], [1]], [[10, 20], [11, 25]], [[2, 4], [3, 5]]);
        var norm = Rul.RulTrainer.NormalizeRows(ds, ds.Table, ["s"], scaler);
        var windows = new StandInWindows(ds, norm, ["s"], scaler);
        var buffer = new float[6];
        windows.Copy(3, 3, buffer);

        // Rows 1-3: x = 11, 12, 13 in regimes 1, 0, 1.
        Assert.Equal([(float)((11 - 25) / 5.0), (float)((12 - 20) / 4.0), (float)((13 - 25) / 5.0)], [buffer[1], buffer[3], buffer[5]]);
    }
}
