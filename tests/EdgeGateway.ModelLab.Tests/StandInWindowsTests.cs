using System.Globalization;
using System.Text;
using EdgeGateway.Core.Conditioning;
using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Anomaly;
using EdgeGateway.ModelLab.Data;

namespace EdgeGateway.ModelLab.Tests;

public class StandInWindowsTests
{
    // One flight of 12 rows: x, y and x@other (y has no companion). x@other is empty at rows 5-6,
    // y at row 10. Scaler: x mean 10 sd 2, y mean 0 sd 1, x@other mean 20 sd 4.
    private static readonly ScalerSpec s_scaler = new([], [], [[]], [[10, 0, 20]], [[2, 1, 4]]);

    private static Dataset Flight(TempDir dir)
    {
        var csv = new StringBuilder("t,x,y,x@other,flight\n");
        for (int t = 0; t < 12; t++)
        {
            string other = t is 5 or 6 ? string.Empty : (30 + t).ToString(CultureInfo.InvariantCulture);
            string y = t == 10 ? string.Empty : (t % 3).ToString(CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{t},{10 + t},{y},{other},A\n");
        }

        return Dataset.Create(CsvTableReader.Read(dir.File("f.csv", csv.ToString())), new ColumnRoles(["x", "y", "x@other"], "t", null, "flight", Gaps: true), 3);
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
        var buffer = new float[9];

        // Rows 4-6 hold the gap: x@other = (x - 20) / 4 in every row, x and y untouched.
        windows.Copy(6, 3, buffer);
        for (int r = 0; r < 3; r++)
        {
            double x = 14 + r;
            Assert.Equal((float)((x - 10) / 2), buffer[r * 3]);
            Assert.Equal((x - 20) / 4, buffer[(r * 3) + 2], 5);
            Assert.Equal(WindowBuilder.StandIn(buffer[r * 3], 2.0 / 4, (10.0 - 20) / 4), buffer[(r * 3) + 2]);
        }

        // Rows 7-9 do not: the other engine's own values.
        windows.Copy(9, 3, buffer);
        Assert.Equal([(float)((37 - 20) / 4.0), (float)((38 - 20) / 4.0), (float)((39 - 20) / 4.0)], [buffer[2], buffer[5], buffer[8]]);
        Assert.Equal(1, windows.WindowsWithStandIn);
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
