namespace EdgeGateway.Bus;

/// <summary>
/// What an <see cref="AdapterFrameReader"/> carries from one buffer to the next: the counters and
/// whether the previous buffer ended inside a run of bad bytes. Plain data; copy it freely.
/// </summary>
public struct FrameReaderState
{
    internal long _goodFrames;
    internal long _badByteRuns;
    internal long _badBytes;
    internal long _checksumFailures;
    internal int _truncatedTailBytes;
    internal bool _inBadRun;

    /// <summary>The counters so far.</summary>
    public readonly FrameReaderStats Stats => new()
    {
        GoodFrames = _goodFrames,
        BadByteRuns = _badByteRuns,
        BadBytes = _badBytes,
        ChecksumFailures = _checksumFailures,
        TruncatedTail = _truncatedTailBytes > 0,
        TruncatedTailBytes = _truncatedTailBytes,
    };

    /// <summary>Counts <paramref name="count"/> bad bytes, opening a new run unless one is open.</summary>
    internal void AddBadBytes(int count)
    {
        if (!_inBadRun)
        {
            _badByteRuns++;
            _inBadRun = true;
        }

        _badBytes += count;
    }
}
