namespace EdgeGateway.Bus;

/// <summary>
/// A source of adapter frames: a live serial adapter, any byte stream carrying the adapter wire
/// protocol, or a capture file. Not thread-safe: one reader at a time.
/// </summary>
public interface IFrameSource : IAsyncDisposable
{
    /// <summary>
    /// Fills <paramref name="destination"/> with the next frames and returns how many were written.
    /// Waits until at least one frame is available; returns 0 only at the end of the stream (never
    /// for a live adapter, which waits and reconnects instead).
    /// </summary>
    /// <param name="destination">Where to write frames; must not be empty.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>Frames written; 0 = end of stream.</returns>
    ValueTask<int> ReadAsync(Memory<AdapterFrame> destination, CancellationToken cancellationToken = default);

    /// <summary>What the decoder has seen so far: good frames, bad byte runs, checksum failures, reconnects.</summary>
    FrameReaderStats Stats { get; }
}
