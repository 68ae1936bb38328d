using EdgeGateway.Bus;
using EdgeGateway.Cli;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Core.Summaries;

namespace EdgeGateway.Integration.Tests.Cli;

public class ReplayCommandTests
{
    private static readonly LabelTable s_table = LabelTableLoader.Load(RepoPaths.A320Table);

    private static CaptureHeader Header() => new("F-WTST", "A320-214", "TST123", s_table.Info.Name, s_table.Info.Sha256, "EG-429-8", "1.0.0", new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));

    /// <summary>Writes a capture: N1 ramps on both engines at 16 Hz for <paramref name="seconds"/>, serials once a second.</summary>
    private static void WriteCapture(string path, int seconds)
    {
        using var w = CaptureWriter.Create(path, Header());
        int n1a = s_table.FindChannel(1, "N1"), n1b = s_table.FindChannel(2, "N1");
        for (int i = 0; i < seconds * 16; i++)
        {
            ulong t = (ulong)i * 62_500;
            w.Write(new AdapterFrame(0, t, s_table.Encode(n1a, 20 + (i % 64)), AdapterStatus.HighSpeed));
            w.Write(new AdapterFrame(1, t + 100, s_table.Encode(n1b, 30), AdapterStatus.HighSpeed));
            if (i % 16 == 0)
            {
                w.Write(new AdapterFrame(0, t + 200, s_table.Encode(s_table.FindChannel(1, "SerialHigh"), 779), AdapterStatus.HighSpeed));
                w.Write(new AdapterFrame(0, t + 300, s_table.Encode(s_table.FindChannel(1, "SerialLow"), 123), AdapterStatus.HighSpeed));
            }
        }
    }

    [Fact]
    public void Run_Capture_PrintsAndWritesSummary()
    {
        using var dir = new TempDir();
        WriteCapture(dir.File("f.cap"), 10);
        var o = new StringWriter();
        var e = new StringWriter();
        int rc = CommandLine.Run(["replay", dir.File("f.cap"), "--table", RepoPaths.A320Table, "--summary-out", dir.File("s.json")], o, e);
        Assert.Equal(0, rc);
        Assert.StartsWith("replay: 340 words in ", e.ToString(), StringComparison.Ordinal);
        Assert.Contains("ENG1  serial 779123", o.ToString(), StringComparison.Ordinal);

        var s = FlightSummaryJson.Parse(File.ReadAllBytes(dir.File("s.json")));
        Assert.Equal("TST123", s.FlightId);
        Assert.Equal(160 + 160 + 20, s.Words);
        var n1 = s.Engines[0].Parameters.Single(p => p.Parameter == "N1");
        Assert.Equal(160, n1.Count);
        Assert.Equal(20.0, n1.Min);
        Assert.Equal(83.0, n1.Max);
        Assert.Equal("779123", s.Engines[0].Serial);
        Assert.Null(s.Engines[1].Serial);
        Assert.Contains("ENG2 EGT", s.DataQuality.MissingChannels);
    }

    [Fact]
    public void Run_SameCaptureTwice_IdenticalSummaryBytes()
    {
        using var dir = new TempDir();
        WriteCapture(dir.File("f.cap"), 5);
        CommandLine.Run(["replay", dir.File("f.cap"), "--table", RepoPaths.A320Table, "--summary-out", dir.File("a.json")], TextWriter.Null, TextWriter.Null);
        CommandLine.Run(["replay", dir.File("f.cap"), "--table", RepoPaths.A320Table, "--summary-out", dir.File("b.json")], TextWriter.Null, TextWriter.Null);
        Assert.Equal(File.ReadAllBytes(dir.File("a.json")), File.ReadAllBytes(dir.File("b.json")));
    }

    [Fact]
    public void Run_CaptureCutMidFrame_ReplaysUpToCutAndSaysSo()
    {
        using var dir = new TempDir();
        WriteCapture(dir.File("f.cap"), 10);
        var bytes = File.ReadAllBytes(dir.File("f.cap"));
        File.WriteAllBytes(dir.File("cut.cap"), bytes[..^7]);
        var o = new StringWriter();
        var e = new StringWriter();
        int rc = CommandLine.Run(["replay", dir.File("cut.cap"), "--table", RepoPaths.A320Table, "--summary-out", dir.File("s.json")], o, e);
        Assert.Equal(0, rc);
        Assert.Contains("cut off mid-frame", e.ToString(), StringComparison.Ordinal);
        var s = FlightSummaryJson.Parse(File.ReadAllBytes(dir.File("s.json")));
        Assert.True(s.DataQuality.Truncated);
        Assert.Equal(160 + 160 + 20 - 1, s.Words);
    }

    [Fact]
    public void Run_NotACapture_ClearErrorNonZero()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("x.cap"), "this is not a capture");
        var e = new StringWriter();
        int rc = CommandLine.Run(["replay", dir.File("x.cap"), "--table", RepoPaths.A320Table], TextWriter.Null, e);
        Assert.Equal(ExitCodes.Failure, rc);
        Assert.Contains("x.cap", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_OtherTableThanRecorded_Warns()
    {
        using var dir = new TempDir();
        WriteCapture(dir.File("f.cap"), 1);
        string other = dir.File("t.json");
        File.WriteAllText(other, File.ReadAllText(RepoPaths.A320Table).Replace("\"a320-cfm56-5b\"", "\"other\"", StringComparison.Ordinal));
        var e = new StringWriter();
        Assert.Equal(0, CommandLine.Run(["replay", dir.File("f.cap"), "--table", other], TextWriter.Null, e));
        Assert.Contains("recorded with label table 'a320-cfm56-5b'", e.ToString(), StringComparison.Ordinal);
    }
}
