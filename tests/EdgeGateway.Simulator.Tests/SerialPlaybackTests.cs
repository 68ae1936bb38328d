using System.Diagnostics;
using System.IO.Ports;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Simulator.Cli;
using EdgeGateway.Simulator.Flights;
using EdgeGateway.Simulator.Output;

namespace EdgeGateway.Simulator.Tests;

/// <summary>Plays a flight over a real pty pair made by socat and reads it on the other end.</summary>
public sealed class SerialPlaybackTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly Process _socat;

    public SerialPlaybackTests()
    {
        AircraftEnd = _folder.File("aircraft");
        GatewayEnd = _folder.File("gateway");
        _socat = Process.Start(new ProcessStartInfo("socat", ["-d", $"pty,raw,echo=0,link={AircraftEnd}", $"pty,raw,echo=0,link={GatewayEnd}"])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var wait = Stopwatch.StartNew();
        while (!(File.Exists(AircraftEnd) && File.Exists(GatewayEnd)) && wait.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(20);
        }

        Assert.True(File.Exists(GatewayEnd), "socat did not create the pty pair");
    }

    private string AircraftEnd { get; }

    private string GatewayEnd { get; }

    [Fact]
    public void Run_Serial_PtyReceivesExactlyTheFramesOfTheCapture()
    {
        string[] flight = ["--hours", "0.05", "--seed", "3", "--fault", "bearing-wear:1:0.5"];
        var options = FlightCommandOptions(flight);
        using var expected = new MemoryStream();
        new FlightGenerator(TestFlights.Table, options).Run(new FrameWordSink(expected));
        byte[] want = expected.ToArray();

        using var port = new SerialPort(GatewayEnd, 921_600) { ReadTimeout = 200 };
        port.Open();
        var received = new MemoryStream();
        var reader = new Thread(() =>
        {
            var buffer = new byte[8192];
            var idle = Stopwatch.StartNew();
            while (received.Length < want.Length && idle.Elapsed < TimeSpan.FromSeconds(10))
            {
                try
                {
                    int n = port.Read(buffer, 0, buffer.Length);
                    received.Write(buffer, 0, n);
                    idle.Restart();
                }
                catch (TimeoutException)
                {
                }
            }
        });
        reader.Start();

        using var stderr = new StringWriter();
        int code = SimulatorCli.Run(["flight", .. flight, "--serial", AircraftEnd, "--labels-out", _folder.File("played.labels.json"), "--quiet"], TextWriter.Null, stderr);
        reader.Join();

        Assert.True(code == SimulatorCli.ExitOk, stderr.ToString());
        Assert.Equal(want.Length, received.Length);
        Assert.Equal(want, received.ToArray());
        Assert.Equal(want.Length / 16, FlightLabels.Load(_folder.File("played.labels.json")).Words);
    }

    public void Dispose()
    {
        if (!_socat.HasExited)
        {
            _socat.Kill();
            _socat.WaitForExit();
        }

        _socat.Dispose();
        _folder.Dispose();
    }

    private static FlightOptions FlightCommandOptions(string[] flight) =>
        FlightCommand.Parse([.. flight, "--out", "unused.cap"]).Options;
}
