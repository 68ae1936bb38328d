using System.Collections.Concurrent;
using System.IO.Ports;
using Xunit.Abstractions;

namespace EdgeGateway.Bus.Tests;

public sealed class SerialFrameSourceTests(ITestOutputHelper output)
{
    // Generous guard against a hang; no assertion depends on how fast anything is.
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(30);

    private static SerialFrameSourceOptions Options(string port) => new()
    {
        PortName = port,
        BaudRate = 115_200,
        ReadTimeout = TimeSpan.FromMilliseconds(100),
        ReconnectDelay = TimeSpan.FromMilliseconds(50),
    };

    private static SerialPort OpenAdapter(string path)
    {
        var port = new SerialPort(path, 115_200);
        port.Open();
        return port;
    }

    private static void WriteFrames(SerialPort port, ReadOnlySpan<AdapterFrame> frames)
    {
        var bytes = TestFrames.Encode(frames);
        port.BaseStream.Write(bytes);
        port.BaseStream.Flush();
    }

    private static async Task WaitUntil(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    /// <summary>Reads until cancelled, collecting every frame.</summary>
    private static async Task Collect(SerialFrameSource source, ConcurrentQueue<AdapterFrame> into, CancellationToken cancellationToken)
    {
        var dest = new AdapterFrame[64];
        try
        {
            while (true)
            {
                int n = await source.ReadAsync(dest, cancellationToken);
                Assert.True(n > 0, "a serial source never reports end of stream");
                foreach (var f in dest.AsSpan(0, n))
                {
                    into.Enqueue(f);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [Fact]
    public async Task ReadAsync_SocatPtyPair_ReceivesFramesWrittenOnTheOtherEnd()
    {
        using var pair = new SocatPair();
        using var cts = new CancellationTokenSource(s_guard);
        await using var source = new SerialFrameSource(Options(pair.HostEnd));
        var received = new ConcurrentQueue<AdapterFrame>();
        var reading = Collect(source, received, cts.Token);
        await WaitUntil(() => source.IsConnected, cts.Token);
        var frames = TestFrames.Random(new Random(21), 3000);

        using (var adapter = OpenAdapter(pair.AdapterEnd))
        {
            // Some garbage first, as when an adapter is plugged in mid-stream.
            adapter.BaseStream.Write([0x13, 0xA5, 0x77, 0x10]);
            for (int i = 0; i < frames.Length; i += 250)
            {
                WriteFrames(adapter, frames.AsSpan(i, 250));
            }

            await WaitUntil(() => received.Count >= frames.Length, cts.Token);
        }

        await cts.CancelAsync();
        await reading;
        Assert.Equal(frames, received);
        Assert.Equal(3000, source.Stats.GoodFrames);
        Assert.Equal(1, source.Stats.BadByteRuns);
        Assert.Equal(4, source.Stats.BadBytes);
        Assert.Equal(0, source.Stats.Reconnects);
    }

    [Fact]
    public async Task ReadAsync_UnplugAndReplug_ReconnectsAndReceivesLaterFrames()
    {
        using var pair = new SocatPair();
        using var cts = new CancellationTokenSource(s_guard);
        var log = new RecordingLogger<SerialFrameSource>();
        await using var source = new SerialFrameSource(Options(pair.HostEnd), logger: log);
        var received = new ConcurrentQueue<AdapterFrame>();
        var reading = Collect(source, received, cts.Token);
        await WaitUntil(() => source.IsConnected, cts.Token);
        var before = TestFrames.Random(new Random(22), 200);
        var after = TestFrames.Random(new Random(23), 200);

        using (var adapter = OpenAdapter(pair.AdapterEnd))
        {
            WriteFrames(adapter, before);
            await WaitUntil(() => received.Count >= before.Length, cts.Token);
        }

        pair.Unplug();
        await WaitUntil(() => !source.IsConnected, cts.Token);
        pair.Start();
        await WaitUntil(() => source.IsConnected, cts.Token);
        using (var adapter = OpenAdapter(pair.AdapterEnd))
        {
            WriteFrames(adapter, after);
            await WaitUntil(() => received.Count >= before.Length + after.Length, cts.Token);
        }

        await cts.CancelAsync();
        await reading;
        Assert.Equal([.. before, .. after], received);
        Assert.Equal(1, source.Stats.Reconnects);
        Assert.Equal(400, source.Stats.GoodFrames);
        Assert.Equal(0, source.Stats.BadBytes);
        foreach (var e in log.Entries)
        {
            output.WriteLine($"{e.Id.Id} {e.Level} {e.Message}");
        }

        Assert.Equal([1100, 1101, 1102], log.Entries.Select(e => e.Id.Id).Where(id => id != 1103));
    }

    [Fact]
    public async Task ReadAsync_DeviceMissingAtStart_WaitsAndOpensWhenItAppears()
    {
        using var pair = new SocatPair();
        pair.Unplug();
        using var cts = new CancellationTokenSource(s_guard);
        await using var source = new SerialFrameSource(Options(pair.HostEnd));
        var received = new ConcurrentQueue<AdapterFrame>();
        var reading = Collect(source, received, cts.Token);
        var frames = TestFrames.Random(new Random(24), 50);

        pair.Start();
        await WaitUntil(() => source.IsConnected, cts.Token);
        using (var adapter = OpenAdapter(pair.AdapterEnd))
        {
            WriteFrames(adapter, frames);
            await WaitUntil(() => received.Count >= frames.Length, cts.Token);
        }

        await cts.CancelAsync();
        await reading;
        Assert.Equal(frames, received);
        Assert.Equal(0, source.Stats.Reconnects);
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var options = new SerialFrameSourceOptions
        {
            PortName = "",
            BaudRate = 0,
            ReadTimeout = TimeSpan.Zero,
            ReconnectDelay = TimeSpan.FromHours(1),
            DataBits = 9,
        };

        var ex = Assert.Throws<ArgumentException>(() => new SerialFrameSource(options));

        Assert.Contains("PortName is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BaudRate = 0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ReadTimeout = 00:00:00", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ReconnectDelay = 01:00:00", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DataBits = 9", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_OnlyPortNameMissing()
    {
        var errors = new SerialFrameSourceOptions().Validate();

        Assert.Single(errors);
        Assert.Empty(new SerialFrameSourceOptions { PortName = "/dev/ttyACM0" }.Validate());
    }
}
