using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace EdgeGateway.Uplink.Tests.Infrastructure;

/// <summary>
/// A loopback TCP proxy whose existing connections can be frozen: bytes stop flowing but nothing is closed,
/// which is what a half-open connection (a dead NAT entry, a pulled cable upstream) looks like to the client.
/// Connections made after <see cref="FreezeExisting"/> flow normally.
/// </summary>
public sealed class FreezableTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<(TcpClient A, TcpClient B, CancellationTokenSource Freeze)> _connections = [];
    private readonly Task _accept;

    public FreezableTcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Accepted { get; private set; }

    public void FreezeExisting()
    {
        foreach (var c in _connections)
        {
            c.Freeze.Cancel();
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Accepted++;
            var outbound = new TcpClient();
            await outbound.ConnectAsync(IPAddress.Loopback, _targetPort);
            var freeze = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            _connections.Add((inbound, outbound, freeze));
            _ = PumpAsync(inbound.GetStream(), outbound.GetStream(), freeze.Token);
            _ = PumpAsync(outbound.GetStream(), inbound.GetStream(), freeze.Token);
        }
    }

    private static async Task PumpAsync(NetworkStream from, NetworkStream to, CancellationToken freeze)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReadAsync(buffer, freeze);
                if (n == 0)
                {
                    to.Socket.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.WriteAsync(buffer.AsMemory(0, n), freeze);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Frozen or closed: stop pumping without closing either side.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
        foreach (var (a, b, f) in _connections)
        {
            a.Dispose();
            b.Dispose();
            f.Dispose();
        }

        _stop.Dispose();
    }
}
