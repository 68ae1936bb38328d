namespace EdgeGateway.Simulator.Output;

/// <summary>
/// Passes words on at the pace of their timestamps (the bus's real word rate), measured on the
/// monotonic clock of a <see cref="TimeProvider"/>: the first word goes out at once, each later
/// word when as much time has passed as its timestamp says. Buffered words are flushed before
/// every wait, so each word leaves on time.
/// </summary>
public sealed class PacedWordSink : IWordSink
{
    private readonly IWordSink _inner;
    private readonly TimeProvider _time;
    private readonly Action<TimeSpan> _wait;
    private long _startTimestamp;
    private ulong _firstWordMicros;
    private bool _started;

    /// <summary>Paces <paramref name="inner"/> with the system clock, sleeping the thread between words.</summary>
    public PacedWordSink(IWordSink inner)
        : this(inner, TimeProvider.System, Thread.Sleep)
    {
    }

    /// <summary>Paces <paramref name="inner"/> with <paramref name="time"/>; <paramref name="wait"/> blocks for a span (tests pass a fake).</summary>
    public PacedWordSink(IWordSink inner, TimeProvider time, Action<TimeSpan> wait)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(wait);
        _inner = inner;
        _time = time;
        _wait = wait;
    }

    /// <inheritdoc/>
    public void Write(in BusWord word)
    {
        if (!_started)
        {
            _started = true;
            _startTimestamp = _time.GetTimestamp();
            _firstWordMicros = word.TimestampMicros;
        }
        else
        {
            var due = TimeSpan.FromMicroseconds(word.TimestampMicros - _firstWordMicros);
            var remaining = due - _time.GetElapsedTime(_startTimestamp);
            if (remaining > TimeSpan.Zero)
            {
                _inner.Flush();
                _wait(remaining);
            }
        }

        _inner.Write(word);
    }

    /// <inheritdoc/>
    public void Flush() => _inner.Flush();

    /// <inheritdoc/>
    public void Complete() => _inner.Complete();
}
