using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using EdgeGateway.Uplink;

namespace EdgeGateway.Benchmarks.Uplink;

/// <summary>Durable enqueue (WAL, synchronous=FULL) with concurrent producers sharing commits.</summary>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet needs unsealed classes and disposes through [GlobalCleanup].")]
public class OutboxEnqueueBenchmarks
{
    private const int Messages = 2048;
    private UplinkBenchmarkEnvironment _env = null!;
    private Outbox _outbox = null!;
    private UplinkMessage _message = null!;

    /// <summary>Producers awaiting their own enqueue; 1 shows the cost of one sync per message.</summary>
    [Params(1, 64, 256)]
    public int Concurrency { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _env = new UplinkBenchmarkEnvironment();
        _outbox = Outbox.Open(new OutboxOptions { DatabasePath = _env.File("enqueue.db"), MaxOutboxBytes = 8L << 30 });
        _message = new UplinkMessage(MessageClass.Alert, "G-EZAB", ["ESN-892311"], "{\"kind\":\"vibrationTrend\",\"engine\":2,\"score\":0.93}"u8.ToArray());
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public void EnqueueDurable() => UplinkQuickBenchmark.RunBurst(_outbox, _message, Messages, Concurrency);

    [GlobalCleanup]
    public void Dispose()
    {
        _outbox?.Dispose();
        _env?.Dispose();
    }
}

/// <summary>Open plus first page with a 100,000-message backlog (the backlog is paged, never loaded).</summary>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet needs unsealed classes and disposes through [GlobalCleanup].")]
public class OutboxStartupBenchmarks
{
    private UplinkBenchmarkEnvironment _env = null!;
    private string _path = null!;

    [GlobalSetup]
    public void Setup()
    {
        _env = new UplinkBenchmarkEnvironment();
        _path = _env.File("backlog.db");
        UplinkBenchmarkEnvironment.FillAsync(_path, 100_000).GetAwaiter().GetResult();
    }

    [Benchmark]
    public int OpenAndReadFirstPage()
    {
        using var outbox = Outbox.Open(new OutboxOptions { DatabasePath = _path, MaxOutboxBytes = 8L << 30 });
        return outbox.ReadNextAsync(256).GetAwaiter().GetResult().Count;
    }

    [GlobalCleanup]
    public void Dispose() => _env?.Dispose();
}

/// <summary>Drain of a 5,000-message backlog to Mosquitto on loopback over mutual TLS at QoS 1 (connect included).</summary>
[MemoryDiagnoser]
[InvocationCount(1)]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet needs unsealed classes and disposes through [GlobalCleanup].")]
public class UplinkDrainBenchmarks
{
    private const int Messages = 5000;
    private UplinkBenchmarkEnvironment _env = null!;
    private Outbox _outbox = null!;
    private int _iteration;

    [GlobalSetup]
    public void Setup()
    {
        _env = new UplinkBenchmarkEnvironment();
        _env.StartMosquitto();
    }

    [IterationSetup]
    public void Fill()
    {
        var path = _env.File($"drain-{_iteration++}.db");
        UplinkBenchmarkEnvironment.FillAsync(path, Messages).GetAwaiter().GetResult();
        _outbox = Outbox.Open(new OutboxOptions { DatabasePath = path, MaxOutboxBytes = 8L << 30 });
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public long Drain()
    {
        var supervisor = new UplinkSupervisor(_env.GatewayOptions(), _outbox);
        using var stop = new CancellationTokenSource();
        var run = supervisor.RunAsync(stop.Token);
        while (_outbox.GetStatistics().TotalDepth > 0)
        {
            Thread.Sleep(1);
        }

        stop.Cancel();
        run.GetAwaiter().GetResult();
        return supervisor.PublishedCount;
    }

    [IterationCleanup]
    public void Close() => _outbox.Dispose();

    [GlobalCleanup]
    public void Dispose() => _env?.Dispose();
}
