using System.Globalization;
using EdgeGateway.Bus;
using EdgeGateway.Simulator.Cli;
using EdgeGateway.Simulator.Flights;

namespace EdgeGateway.Simulator.Tests;

public class SimulatorCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        int code = SimulatorCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("unknown fault kind 'bad-thing'", "flight", "--hours", "0.2", "--fault", "bad-thing:1", "--out", "x.cap")]
    [InlineData("engine 3 does not exist", "flight", "--hours", "0.2", "--fault", "oil-leak:3", "--out", "x.cap")]
    [InlineData("engine 'x' is not an engine position", "flight", "--hours", "0.2", "--fault", "oil-leak:x", "--out", "x.cap")]
    [InlineData("'2x' is not a start time", "flight", "--hours", "0.2", "--fault", "oil-leak:1:2x", "--out", "x.cap")]
    [InlineData("'1.5' is not a start time", "flight", "--hours", "0.2", "--fault", "oil-leak:1:1.5", "--out", "x.cap")]
    [InlineData("after the end", "flight", "--hours", "0.2", "--fault", "oil-leak:1:1h", "--out", "x.cap")]
    [InlineData("unknown parameter 'Thrust'", "flight", "--hours", "0.2", "--fault", "sensor-stuck:1:0.5:Thrust", "--out", "x.cap")]
    [InlineData("bearing wear shows on N1Vibration or N2Vibration", "flight", "--hours", "0.2", "--fault", "bearing-wear:1:0.5:EGT", "--out", "x.cap")]
    [InlineData("--hours 'abc' is not a positive number", "flight", "--hours", "abc", "--out", "x.cap")]
    [InlineData("--hours '-1' is not a positive number", "flight", "--hours", "-1", "--out", "x.cap")]
    [InlineData("--hours 500 is outside", "flight", "--hours", "500", "--out", "x.cap")]
    [InlineData("--hours H is required", "flight", "--out", "x.cap")]
    [InlineData("exactly one of --out FILE or --serial PORT", "flight", "--hours", "1")]
    [InlineData("exactly one of --out FILE or --serial PORT", "flight", "--hours", "1", "--out", "x.cap", "--serial", "/dev/null")]
    [InlineData("--realtime paces a serial port", "flight", "--hours", "1", "--out", "x.cap", "--realtime")]
    [InlineData("--seed 'one' is not an integer", "flight", "--hours", "1", "--seed", "one", "--out", "x.cap")]
    [InlineData("unknown argument '--wings'", "flight", "--hours", "1", "--wings", "--out", "x.cap")]
    [InlineData("--out needs a value", "flight", "--hours", "1", "--out")]
    [InlineData("--esn '1:12'", "flight", "--hours", "1", "--esn", "1:12", "--out", "x.cap")]
    [InlineData("--table 'no-such-table.json': file not found", "flight", "--hours", "1", "--table", "no-such-table.json", "--out", "x.cap")]
    [InlineData("unknown command 'fly'", "fly")]
    public void Run_BadArguments_ExitCode2WithMessage(string expected, params string[] args)
    {
        var (code, _, err) = Run(args);

        Assert.Equal(SimulatorCli.ExitUsage, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.StartsWith("error: ", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NoArguments_UsageAndExitCode2()
    {
        var (code, _, err) = Run();

        Assert.Equal(SimulatorCli.ExitUsage, code);
        Assert.Contains("usage: EdgeGateway.Simulator flight", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_FlightToFile_WritesReadableCaptureLabelsAndSamples()
    {
        using var folder = new TempFolder();
        string capture = folder.File("f.cap");
        string samples = folder.File("f.csv");

        var (code, _, err) = Run("flight", "--hours", "0.1", "--seed", "4", "--fault", "oil-leak:2:3m", "--tail", "D-AIZZ", "--flight", "LH123",
            "--esn", "1:577001", "--esn", "2:577002", "--out", capture, "--samples-out", samples, "--quiet");

        Assert.True(code == SimulatorCli.ExitOk, err);
        var labels = FlightLabels.Load(capture + ".labels.json");
        Assert.Equal(4, labels.Seed);
        Assert.Equal("LH123", labels.FlightId);
        Assert.Equal("flight", labels.Args[0]);
        var fault = Assert.Single(labels.Faults);
        Assert.Equal(("oil-leak", 2, 180.0, "577002"), (fault.Kind, fault.Engine, fault.StartSeconds, fault.Serial));

        using var reader = CaptureReader.Open(capture);
        Assert.Equal("D-AIZZ", reader.Header.TailNumber);
        Assert.Equal("LH123", reader.Header.FlightId);
        Assert.Equal("a320-cfm56-5b.json", reader.Header.LabelTableName);
        Assert.Equal(TestFlights.Table.Info.Sha256, reader.Header.LabelTableSha256);
        Assert.Equal("4", reader.Header.Metadata["simulator.seed"]);
        var frames = new AdapterFrame[4096];
        long count = 0;
        int n;
        while ((n = reader.Read(frames)) > 0)
        {
            for (int i = 0; i < n; i++)
            {
                TestFlights.Decode(frames[i].Word);
            }

            count += n;
        }

        Assert.Equal(labels.Words, count);
        Assert.False(reader.IsTruncated);
        Assert.True(File.ReadAllLines(samples).Length > 700);
    }

    [Fact]
    public void Run_SameArgumentsTwice_IdenticalCaptureFiles()
    {
        using var folder = new TempFolder();
        string[] Args(string name) => ["flight", "--hours", "0.1", "--seed", "77", "--fault", "sensor-stuck:1", "--turbulence", "20", "--out", folder.File(name), "--quiet"];

        Assert.Equal(0, Run(Args("a.cap")).Code);
        Assert.Equal(0, Run(Args("b.cap")).Code);

        Assert.Equal(File.ReadAllBytes(folder.File("a.cap")), File.ReadAllBytes(folder.File("b.cap")));
    }

    [Fact]
    public void Run_MissingSerialPort_ExitCode1NamingThePort()
    {
        var (code, _, err) = Run("flight", "--hours", "0.1", "--serial", "/dev/no-such-port-for-tests", "--quiet");

        Assert.Equal(SimulatorCli.ExitFailure, code);
        Assert.Contains("error: serial port /dev/no-such-port-for-tests: the port does not exist", err, StringComparison.Ordinal);
    }
}
