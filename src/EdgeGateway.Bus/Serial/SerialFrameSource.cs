using System.IO.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeGateway.Bus;

/// <summary>
/// Reads adapter frames from a serial port (System.IO.Ports) and survives the adapter being
/// unplugged and plugged back in: when a read fails or the device path disappears, the port is
/// closed, the path is polled every <see cref="SerialFrameSourceOptions.ReconnectDelay"/> until it
/// is back, the port is reopened, the reconnect is counted and reading continues. A partial frame
/// cut by the unplug is dropped and counted. <see cref="ReadAsync"/> never returns 0; it ends by
/// cancellation or disposal.
/// </summary>
public sealed class SerialFrameSource : IFrameSource
{
    private readonly SerialFrameSourceOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly FrameBuffer _buffer;
    private SerialPort? _port;
    private string? _openedTarget;
    private bool _everOpened;
    private bool _unavailableLogged;
    private long _reconnects;
    private long _bytesLostOnDisconnect;
    private bool _disposed;

    /// <summary>Creates the source; the port is opened by the first read.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message lists every problem.</exception>
    public SerialFrameSource(SerialFrameSourceOptions options, TimeProvider? timeProvider = null, ILogger<SerialFrameSource>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _buffer = new FrameBuffer(options.ReadBufferBytes);
    }

    /// <summary>True while the port is open.</summary>
    public bool IsConnected => _port is not null;

    /// <inheritdoc />
    public FrameReaderStats Stats => _buffer.State.Stats with
    {
        Reconnects = _reconnects,
        BytesLostOnDisconnect = _bytesLostOnDisconnect,
    };

    /// <inheritdoc />
    public async ValueTask<int> ReadAsync(Memory<AdapterFrame> destination, CancellationToken cancellationToken = default)
    {
        if (destination.IsEmpty)
        {
            ThrowHelper.ThrowEmptyDestination(nameof(destination));
        }

        while (true)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            int n = _buffer.Decode(destination.Span);
            if (n > 0)
            {
                return n;
            }

            var port = _port ?? await ConnectAsync(cancellationToken).ConfigureAwait(false);
            int read = await ReadChunkAsync(port, cancellationToken).ConfigureAwait(false);
            if (read > 0)
            {
                _buffer.Advance(read);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        ClosePort();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Reads what the port has; 0 after a disconnect. While the line is quiet, checks every
    /// ReadTimeout that the device is still there. The pending read is never cancelled for a
    /// timeout: a read cancelled just as bytes arrive can lose them, so it is left running and
    /// only the check repeats.
    /// </summary>
    private async ValueTask<int> ReadChunkAsync(SerialPort port, CancellationToken cancellationToken)
    {
        var read = port.BaseStream.ReadAsync(_buffer.GetFillMemory(), cancellationToken).AsTask();
        while (!read.IsCompleted)
        {
            using var tick = new CancellationTokenSource();
            var delay = Task.Delay(_options.ReadTimeout, _timeProvider, tick.Token);
            if (await Task.WhenAny(read, delay).ConfigureAwait(false) == read)
            {
                await tick.CancelAsync().ConfigureAwait(false);
                break;
            }

            // A quiet line: is the device still there? A link that now points elsewhere (udev
            // re-created it for a re-plugged adapter) is a replug too.
            string? problem = !File.Exists(_options.PortName) ? "the device path disappeared"
                : !string.Equals(ResolveTarget(_options.PortName), _openedTarget, StringComparison.Ordinal) ? "the device path now points to another device"
                : null;
            if (problem is not null)
            {
                Disconnect(problem);
                await ObserveAsync(read).ConfigureAwait(false);
                return 0;
            }
        }

        try
        {
            int n = await read.ConfigureAwait(false);
            if (n == 0)
            {
                Disconnect("the device reported end of stream");
            }

            return n;
        }
        catch (Exception ex) when (IsDeviceFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            Disconnect(ex.Message);
            return 0;
        }
    }

    private bool IsDeviceFailure(Exception ex) =>
        !_disposed && ex is IOException or InvalidOperationException or UnauthorizedAccessException or ObjectDisposedException;

    /// <summary>Waits for a read abandoned with its closed port, so its failure is observed.</summary>
    private static async Task ObserveAsync(Task<int> read)
    {
        try
        {
            await read.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            // Expected: closing the port fails the read that was waiting on it.
        }
    }

    private async ValueTask<SerialPort> ConnectAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            string? problem = null;
            if (!File.Exists(_options.PortName))
            {
                problem = "the device path does not exist";
            }
            else
            {
                var port = CreatePort();
                try
                {
                    string? target = ResolveTarget(_options.PortName);
                    port.Open();
                    _port = port;
                    _openedTarget = target;
                    _unavailableLogged = false;
                    if (_everOpened)
                    {
                        _reconnects++;
                        Log.PortReconnected(_logger, _options.PortName, _reconnects);
                    }
                    else
                    {
                        Log.PortOpened(_logger, _options.PortName, _options.BaudRate);
                    }

                    _everOpened = true;
                    return port;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                    port.Dispose();
                    problem = ex.Message;
                }
            }

            if (!_unavailableLogged)
            {
                // Once per outage: the path is polled every ReconnectDelay and would flood the log.
                Log.PortUnavailable(_logger, _options.PortName, problem, _options.ReconnectDelay);
                _unavailableLogged = true;
            }

            await Task.Delay(_options.ReconnectDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string? ResolveTarget(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private SerialPort CreatePort()
    {
        var o = _options;
        var port = new SerialPort(o.PortName, o.BaudRate)
        {
            ReadBufferSize = Math.Max(4096, o.ReadBufferBytes),
        };
        if (o.Parity is { } parity)
        {
            port.Parity = parity;
        }

        if (o.DataBits is { } bits)
        {
            port.DataBits = bits;
        }

        if (o.StopBits is { } stop)
        {
            port.StopBits = stop;
        }

        if (o.Handshake is { } hs)
        {
            port.Handshake = hs;
        }

        if (o.DtrEnable is { } dtr)
        {
            port.DtrEnable = dtr;
        }

        if (o.RtsEnable is { } rts)
        {
            port.RtsEnable = rts;
        }

        return port;
    }

    private void Disconnect(string reason)
    {
        int lost = _buffer.DiscardPartial();
        _bytesLostOnDisconnect += lost;
        Log.PortLost(_logger, _options.PortName, reason, lost);
        ClosePort();
    }

    private void ClosePort()
    {
        var port = _port;
        _port = null;
        if (port is null)
        {
            return;
        }

        try
        {
            port.Dispose();
        }
        catch (IOException)
        {
            // Closing a port whose device is already gone can fail; the handle is released either way.
        }
    }
}
