using System.Buffers;
using System.Threading.Channels;
using EdgeGateway.Bus;

namespace EdgeGateway.Sessions;

/// <summary>
/// Reads a frame source on its own task and hands batches over a bounded channel, so the session
/// loop can wait with timeouts (silence, heartbeat) without ever cancelling a read on the device.
/// Batches are rented from <see cref="ArrayPool{T}.Shared"/>; the consumer returns each with
/// <see cref="Return"/> once processed.
/// </summary>
internal sealed class FramePump : IAsyncDisposable
{
    private const int BatchFrames = 4096;

    private readonly IFrameSource _source;
    private readonly Channel<(AdapterFrame[] Frames, int Count)> _channel = Channel.CreateBounded<(AdapterFrame[], int)>(new BoundedChannelOptions(16) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _task;

    public FramePump(IFrameSource source)
    {
        _source = source;
        _task = Task.Run(PumpAsync);
    }

    /// <summary>Statistics of the underlying source.</summary>
    public FrameReaderStats Stats => _source.Stats;

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the next batch; false on timeout or when the
    /// source ended. Cancelling only abandons the wait, never a device read.
    /// </summary>
    public async ValueTask<(bool Ok, AdapterFrame[] Frames, int Count)> TryReadAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_channel.Reader.TryRead(out var ready))
        {
            return (true, ready.Frames, ready.Count);
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            if (await _channel.Reader.WaitToReadAsync(wait.Token) && _channel.Reader.TryRead(out var item))
            {
                return (true, item.Frames, item.Count);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        return (false, [], 0);
    }

    /// <summary>Gives a batch back to the pool.</summary>
    public static void Return(AdapterFrame[] frames) => ArrayPool<AdapterFrame>.Shared.Return(frames);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _task;
        }
        catch (OperationCanceledException)
        {
        }

        await _source.DisposeAsync();
        _stop.Dispose();
    }

    private async Task PumpAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var batch = ArrayPool<AdapterFrame>.Shared.Rent(BatchFrames);
                int n = await _source.ReadAsync(batch.AsMemory(0, BatchFrames), _stop.Token);
                if (n == 0)
                {
                    ArrayPool<AdapterFrame>.Shared.Return(batch);
                    break;
                }

                await _channel.Writer.WriteAsync((batch, n), _stop.Token);
            }
        }
        finally
        {
            _channel.Writer.TryComplete();
        }
    }
}
