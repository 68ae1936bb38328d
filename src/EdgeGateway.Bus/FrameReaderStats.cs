namespace EdgeGateway.Bus;

/// <summary>
/// Counters of a frame reader, a snapshot. Every byte the reader received is either part of a good
/// frame or counted in <see cref="BadBytes"/>.
/// </summary>
public readonly record struct FrameReaderStats
{
    /// <summary>Frames with a valid sync, header and checksum, handed to the caller.</summary>
    public long GoodFrames { get; init; }

    /// <summary>
    /// Runs of consecutive bytes that were not part of a good frame (garbage, corrupted frames,
    /// a cut-off frame). Adjacent bad bytes form one run; a good frame ends a run.
    /// </summary>
    public long BadByteRuns { get; init; }

    /// <summary>Bytes that were not part of a good frame, in total.</summary>
    public long BadBytes { get; init; }

    /// <summary>Frame candidates (sync and header matched) whose checksum did not match.</summary>
    public long ChecksumFailures { get; init; }

    /// <summary>
    /// True when the stream ended inside a frame (a recording cut off mid-frame); those bytes are
    /// counted in <see cref="TruncatedTailBytes"/> and in <see cref="BadBytes"/>.
    /// </summary>
    public bool TruncatedTail { get; init; }

    /// <summary>Length of the cut-off frame at the end of the stream; 0 when none.</summary>
    public int TruncatedTailBytes { get; init; }

    /// <summary>Times a live source lost its device and opened it again (always 0 for streams and captures).</summary>
    public long Reconnects { get; init; }

    /// <summary>Bytes of a partial frame dropped because the device went away mid-frame (also counted in <see cref="BadBytes"/>).</summary>
    public long BytesLostOnDisconnect { get; init; }
}
