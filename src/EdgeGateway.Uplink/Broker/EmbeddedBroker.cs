using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet.Server;

namespace EdgeGateway.Uplink;

/// <summary>
/// An in-process MQTTnet broker bound to 127.0.0.1 only, used when no broker is configured
/// (<see cref="UplinkOptions.UseEmbeddedBroker"/>) so the gateway runs on a fresh machine. Plain TCP is acceptable
/// here because nothing leaves the loopback interface. It keeps no state across restarts: the outbox does.
/// </summary>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    private readonly MqttServer _server;

    private EmbeddedBroker(MqttServer server, int port)
    {
        _server = server;
        Port = port;
    }

    /// <summary>The loopback port the broker listens on.</summary>
    public int Port { get; }

    /// <summary>The MQTTnet server, for inspection (clients, retained messages).</summary>
    public MqttServer Server => _server;

    /// <summary>Starts a broker on 127.0.0.1:<paramref name="port"/>; port 0 picks a free port.</summary>
    public static async Task<EmbeddedBroker> StartAsync(int port, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        if (port == 0)
        {
            port = FindFreeLoopbackPort();
        }

        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(port)
            .Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        await server.StartAsync().ConfigureAwait(false);
        Log.EmbeddedBrokerStarted(logger ?? NullLogger.Instance, port);
        return new EmbeddedBroker(server, port);
    }

    /// <summary>Stops the broker.</summary>
    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync(new MqttServerStopOptionsBuilder().Build()).ConfigureAwait(false);
        _server.Dispose();
    }

    /// <summary>Asks the OS for a free loopback TCP port.</summary>
    public static int FindFreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
