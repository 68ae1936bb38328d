using System.Net.Sockets;
using System.Text;

namespace EdgeGateway.Operations;

/// <summary>
/// sd_notify(3) over the datagram socket systemd passes in <c>NOTIFY_SOCKET</c>: <c>READY=1</c>
/// when the gateway is up, <c>WATCHDOG=1</c> while the pipeline is healthy, <c>STOPPING=1</c> at
/// shutdown. A no-op when not started by systemd.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endpoint;

    /// <summary>Reads <c>NOTIFY_SOCKET</c> from the environment.</summary>
    public SystemdNotifier()
        : this(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"), ReadWatchdogInterval())
    {
    }

    /// <summary>Uses the given socket path (a leading '@' is the abstract namespace) and watchdog interval (null: none).</summary>
    public SystemdNotifier(string? notifySocket, TimeSpan? watchdogInterval = null)
    {
        WatchdogInterval = watchdogInterval;
        if (string.IsNullOrEmpty(notifySocket))
        {
            return;
        }

        string path = notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket;
        _endpoint = new UnixDomainSocketEndPoint(path);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>The interval within which systemd expects <c>WATCHDOG=1</c>; null when no watchdog is configured.</summary>
    public TimeSpan? WatchdogInterval { get; }

    /// <summary>True when running under systemd with a notify socket.</summary>
    public bool IsEnabled => _socket is not null;

    /// <summary>
    /// The watchdog interval systemd expects (<c>WATCHDOG_USEC</c>, only when <c>WATCHDOG_PID</c>
    /// is absent or this process), or null when no watchdog is configured.
    /// </summary>
    public static TimeSpan? ReadWatchdogInterval()
    {
        string? usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        string? pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (!long.TryParse(usec, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long micros) || micros <= 0)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(pid) && pid != Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(micros);
    }

    /// <summary>Sends one notification, e.g. <c>READY=1</c>; false when not under systemd or the send failed.</summary>
    public bool Notify(string state)
    {
        if (_socket is null)
        {
            return false;
        }

        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(state), _endpoint!);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _socket?.Dispose();
}
