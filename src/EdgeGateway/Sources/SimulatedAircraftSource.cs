using EdgeGateway.Bus;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Simulator.Flights;
using EdgeGateway.Simulator.Output;

namespace EdgeGateway.Sources;

/// <summary>
/// The embedded default word source: the built-in simulator plays a landing as adapter frames,
/// <paramref name="speedup"/> times faster than real time, then the aircraft stays parked (silent)
/// so the landing session ends as it would at a gate.
/// </summary>
/// <param name="table">Label table the words are encoded with.</param>
/// <param name="flights">The flights to play, one after another with a silent pause between them.</param>
/// <param name="speedup">Playback speed relative to real time.</param>
/// <param name="pauseBetweenFlights">Silence between flights (must exceed the session silence timeout).</param>
/// <param name="timeProvider">Clock for pacing.</param>
public sealed class SimulatedAircraftSource(LabelTable table, IReadOnlyList<FlightOptions> flights, double speedup, TimeSpan pauseBetweenFlights, TimeProvider timeProvider) : IFrameSource
{
    private readonly double _speedup = speedup;
    private readonly TimeProvider _time = timeProvider;
    private const int BatchFrames = 2048;

    private readonly System.Threading.Channels.Channel<AdapterFrame[]> _batches = System.Threading.Channels.Channel.CreateBounded<AdapterFrame[]>(new System.Threading.Channels.BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private Task? _player;
    private AdapterFrame[]? _current;
    private int _currentLength;
    private int _offset;
    private long _frames;

    /// <summary>Flights played so far (completed).</summary>
    public int FlightsPlayed { get; private set; }

    /// <inheritdoc/>
    public FrameReaderStats Stats => new() { GoodFrames = Interlocked.Read(ref _frames) };

    /// <inheritdoc/>
    public async ValueTask<int> ReadAsync(Memory<AdapterFrame> destination, CancellationToken cancellationToken = default)
    {
        _player ??= Task.Factory.StartNew(Play, TaskCreationOptions.LongRunning);
        if (_current is null || _offset == _currentLength)
        {
            _current = await _batches.Reader.ReadAsync(cancellationToken);
            _currentLength = _current.Length;
            _offset = 0;
        }

        int n = Math.Min(destination.Length, _currentLength - _offset);
        _current.AsSpan(_offset, n).CopyTo(destination.Span);
        _offset += n;
        Interlocked.Add(ref _frames, n);
        return n;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_player is not null)
        {
            try
            {
                await _player;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private void Play()
    {
        for (int i = 0; i < flights.Count && !_stop.IsCancellationRequested; i++)
        {
            if (i > 0)
            {
                Task.Delay(pauseBetweenFlights, _time, _stop.Token).GetAwaiter().GetResult();
            }

            var sink = new BatchingSink(this);
            new FlightGenerator(table, flights[i]).Run(sink);
            FlightsPlayed++;
        }
    }

    /// <summary>Collects words into batches and holds each batch until its last word is due.</summary>
    private sealed class BatchingSink(SimulatedAircraftSource owner) : IWordSink
    {
        private AdapterFrame[] _batch = new AdapterFrame[BatchFrames];
        private int _count;
        private long _startTimestamp;
        private ulong _firstMicros = ulong.MaxValue;

        public void Write(in BusWord word)
        {
            if (_firstMicros == ulong.MaxValue)
            {
                _firstMicros = word.TimestampMicros;
                _startTimestamp = owner._time.GetTimestamp();
            }

            _batch[_count++] = new AdapterFrame(word.Channel, word.TimestampMicros, word.Word, word.HighSpeed ? AdapterStatus.HighSpeed : AdapterStatus.None);
            if (_count == _batch.Length)
            {
                Flush();
            }
        }

        public void Flush()
        {
            if (_count == 0)
            {
                return;
            }

            var due = TimeSpan.FromMicroseconds((_batch[_count - 1].TimestampMicros - _firstMicros) / owner._speedup);
            var wait = due - owner._time.GetElapsedTime(_startTimestamp);
            if (wait > TimeSpan.Zero)
            {
                Task.Delay(wait, owner._time, owner._stop.Token).GetAwaiter().GetResult();
            }

            var full = _batch;
            if (_count < full.Length)
            {
                full = full[.._count];
            }

            owner._batches.Writer.WriteAsync(full, owner._stop.Token).AsTask().GetAwaiter().GetResult();
            _batch = new AdapterFrame[BatchFrames];
            _count = 0;
        }

        public void Complete() => Flush();
    }
}
