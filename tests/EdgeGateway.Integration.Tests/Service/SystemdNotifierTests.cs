using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using EdgeGateway.Hosting;
using EdgeGateway.Operations;
using EdgeGateway.Uplink;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeGateway.Integration.Tests.Service;

/// <summary>sd_notify as systemd sees it: the test binds the datagram socket systemd would pass in NOTIFY_SOCKET.</summary>
public class SystemdNotifierTests
{
    [Fact]
    public async Task Service_UnderNotifySocket_SendsReadyThenWatchdogRepeatedly()
    {
        using var dir = new TempDir();
        using var socket = Bind(dir.File("notify"));
        var psi = GatewayProcess.StartInfo(dir.Path,
        [
            $"--Api:Urls:0=http://127.0.0.1:{EmbeddedBroker.FindFreeLoopbackPort().ToString(CultureInfo.InvariantCulture)}",
            $"--Uplink:EmbeddedBrokerPort={EmbeddedBroker.FindFreeLoopbackPort().ToString(CultureInfo.InvariantCulture)}",
            $"--Gateway:DataFolder={dir.File("data")}",
        ]);
        psi.Environment["NOTIFY_SOCKET"] = dir.File("notify");
        psi.Environment["WATCHDOG_USEC"] = "400000";
        using var p = Process.Start(psi)!;
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        try
        {
            var received = new List<string>();
            var buffer = new byte[256];
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (received.Count(m => m == "WATCHDOG=1") < 4)
            {
                int n = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token);
                received.Add(Encoding.UTF8.GetString(buffer, 0, n));
            }

            Assert.Equal("READY=1", received[0]);
            Assert.All(received.Skip(1), m => Assert.Equal("WATCHDOG=1", m));
        }
        finally
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Watchdog_PipelineStalled_WithheldUntilItBeatsAgain()
    {
        using var dir = new TempDir();
        using var socket = Bind(dir.File("notify"));
        var pipelineClock = new FakeTimeProvider();
        var health = new PipelineHealth(pipelineClock, TimeSpan.FromSeconds(10));
        using var notifier = new SystemdNotifier(dir.File("notify"), TimeSpan.FromMilliseconds(100));
        var lifetime = new StartedLifetime();
        var log = new CountingLogger<SystemdWatchdogService>();
        using var service = new SystemdWatchdogService(notifier, health, lifetime, TimeProvider.System, log);
        await service.StartAsync(CancellationToken.None);
        try
        {
            Assert.Equal("READY=1", await ReceiveAsync(socket));
            Assert.Equal("WATCHDOG=1", await ReceiveAsync(socket));

            pipelineClock.Advance(TimeSpan.FromSeconds(11)); // no beat for longer than the stall limit
            await Until.TrueAsync(() => log.Errors >= 1, "the watchdog notices the stall");
            Drain(socket); // anything sent before the stall was seen
            await Until.TrueAsync(() => log.Errors >= 4, "the stall persists over several intervals");
            Assert.Equal(0, socket.Available);

            health.Beat();
            Assert.Equal("WATCHDOG=1", await ReceiveAsync(socket));
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    private static Socket Bind(string path)
    {
        var s = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        s.Bind(new UnixDomainSocketEndPoint(path));
        return s;
    }

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[256];
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int n = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    private static void Drain(Socket socket)
    {
        var buffer = new byte[256];
        while (socket.Available > 0)
        {
            socket.Receive(buffer);
        }
    }

    private sealed class StartedLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => new(canceled: true);

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }

    private sealed class CountingLogger<T> : ILogger<T>
    {
        private int _errors;

        public int Errors => Volatile.Read(ref _errors);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => NullLogger.Instance.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Error)
            {
                Interlocked.Increment(ref _errors);
            }
        }
    }
}
