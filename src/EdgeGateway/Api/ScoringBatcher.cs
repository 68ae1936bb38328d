using EdgeGateway.Inference.Packages;
using EdgeGateway.Inference.Scoring;

namespace EdgeGateway.Api;

/// <summary>
/// Scores single windows for the scoring endpoint by batching whatever requests are waiting into one
/// ONNX Runtime call. Each ONNX Runtime call has a fixed cost that can be most of a one-window call
/// (int8 32 x 9 autoencoder on the 2-core test machine: about 65 µs for 1 window, 95 µs for 8), so
/// under load the batch is what lets one core keep up.
/// <para>
/// No request waits for a batch to fill: a request that finds a runner free runs at once on its own
/// thread with everything queued so far (usually just itself); requests arriving meanwhile queue and
/// go together in the next call, which runs as a thread-pool work item. At most
/// <see cref="Runners"/> calls are in flight; each runner is an <see cref="OnnxModel"/> over the
/// package's session (<see cref="OnnxModel.ShareSession"/>) with its own buffers, so the landing
/// pipeline's buffers are never touched. A window's score does not depend on its batch-mates (each
/// row of the batch is its own sample; only the float summation order may differ).
/// </para>
/// </summary>
public sealed class ScoringBatcher : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<Pending> _queue = new();
    private readonly Stack<Runner> _idle = new();
    private readonly List<Runner> _all = [];
    private readonly int _length;
    private readonly int _channels;
    private bool _disposed;
    private long _calls;
    private long _windows;

    /// <summary>Creates a batcher over <paramref name="package"/>; runners are made on first need.</summary>
    /// <param name="package">The anomaly package.</param>
    /// <param name="runners">Most ONNX Runtime calls in flight at once.</param>
    /// <param name="maxBatch">Most windows per call.</param>
    public ScoringBatcher(ModelPackage package, int runners, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentOutOfRangeException.ThrowIfLessThan(runners, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        Package = package;
        Runners = runners;
        MaxBatch = maxBatch;
        _length = package.Manifest.Input.WindowLength;
        _channels = package.Manifest.Input.Channels.Count;
    }

    /// <summary>The package scoring.</summary>
    public ModelPackage Package { get; }

    /// <summary>Most ONNX Runtime calls in flight at once.</summary>
    public int Runners { get; }

    /// <summary>Most windows per ONNX Runtime call.</summary>
    public int MaxBatch { get; }

    /// <summary>ONNX Runtime calls made.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Windows scored.</summary>
    public long Windows => Interlocked.Read(ref _windows);

    /// <summary>
    /// Scores one window. <paramref name="rows"/> must hold the package's window length of rows, each
    /// its channel count of finite values (the endpoint checks before calling); it is read before the
    /// returned task completes and not kept.
    /// </summary>
    public Task<float> ScoreAsync(double[][] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfNotEqual(rows.Length, _length);
        return Enqueue(new Pending(rows, default));
    }

    /// <summary>
    /// Scores one window given as float32 values, row-major (<c>[WindowLength][Channels]</c>), all
    /// finite. Each value is widened to double for the scaler, so the score is the one
    /// <see cref="ScoreAsync(double[][])"/> gives for the same values; <paramref name="window"/> is read
    /// before the returned task completes and not kept.
    /// </summary>
    public Task<float> ScoreAsync(ReadOnlyMemory<float> window)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(window.Length, _length * _channels);
        return Enqueue(new Pending(null, window));
    }

    private Task<float> Enqueue(Pending item)
    {
        Runner? runner;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _queue.Enqueue(item);
            runner = TakeRunner();
        }

        if (runner is not null)
        {
            RunBatch(runner);
        }

        return item.Task;
    }

    /// <summary>Fails queued windows and disposes the runners (a running one when its call returns); the package's own model stays open.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            while (_queue.TryDequeue(out var p))
            {
                p.TrySetException(new ObjectDisposedException(nameof(ScoringBatcher)));
            }

            while (_idle.TryPop(out var r))
            {
                r.Model.Dispose();
            }
        }
    }

    // Under _gate: a free runner, a new one while fewer than Runners exist, or null (one is running
    // and will pick the queued window up).
    private Runner? TakeRunner()
    {
        if (_idle.TryPop(out var runner))
        {
            return runner;
        }

        if (_all.Count < Runners)
        {
            runner = new Runner(Package.Model.ShareSession(MaxBatch), MaxBatch);
            _all.Add(runner);
            return runner;
        }

        return null;
    }

    private void RunBatch(Runner runner)
    {
        var items = runner.Items;
        int n = 0;
        lock (_gate)
        {
            while (n < items.Length && _queue.TryDequeue(out var p))
            {
                items[n++] = p;
            }
        }

        if (n > 0)
        {
            Score(runner.Model, items, n);
            Array.Clear(items, 0, n);
        }

        bool more;
        lock (_gate)
        {
            more = _queue.Count > 0 && !_disposed;
            if (_disposed)
            {
                runner.Model.Dispose();
                return;
            }

            if (!more)
            {
                _idle.Push(runner);
            }
        }

        if (more)
        {
            // The next batch runs as its own work item, so the thread that ran this one returns to its
            // own request instead of serving the queue for as long as the load lasts.
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Batcher.RunBatch(s.Runner), (Batcher: this, Runner: runner), preferLocal: false);
        }
    }

    private void Score(OnnxModel model, Pending[] items, int n)
    {
        var scaler = Package.Manifest.Scaler;
        int values = _length * _channels;
        Span<double> wide = _channels <= 128 ? stackalloc double[_channels] : new double[_channels];
        try
        {
            for (int i = 0; i < n; i++)
            {
                var input = model.Input.AsSpan(i * values, values);
                if (items[i].Rows is { } rows)
                {
                    for (int r = 0; r < _length; r++)
                    {
                        scaler.Normalize(default, rows[r], input.Slice(r * _channels, _channels));
                    }

                    continue;
                }

                var window = items[i].Window.Span;
                for (int r = 0; r < _length; r++)
                {
                    var row = window.Slice(r * _channels, _channels);
                    for (int c = 0; c < row.Length; c++)
                    {
                        wide[c] = row[c];
                    }

                    scaler.Normalize(default, wide, input.Slice(r * _channels, _channels));
                }
            }

            model.Run(n);
        }
#pragma warning disable CA1031 // Whatever fails, every window of the call gets the cause (a 500 problem document) and none is left waiting; this may run on a thread-pool work item, where an escaping exception would end the process.
        catch (Exception e)
#pragma warning restore CA1031
        {
            for (int i = 0; i < n; i++)
            {
                items[i].TrySetException(e);
            }

            return;
        }

        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _windows, n);
        for (int i = 0; i < n; i++)
        {
            items[i].TrySetResult(model.Output[i]);
        }
    }

    private sealed class Runner(OnnxModel model, int maxBatch)
    {
        public OnnxModel Model { get; } = model;

        public Pending[] Items { get; } = new Pending[maxBatch];
    }

    // Continuations run on the thread pool, not inline on the runner that completes the batch.
    // One of Rows (JSON) or Window (binary).
    private sealed class Pending(double[][]? rows, ReadOnlyMemory<float> window) : TaskCompletionSource<float>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public double[][]? Rows { get; } = rows;

        public ReadOnlyMemory<float> Window { get; } = window;
    }
}

/// <summary>
/// The scoring endpoint's <see cref="ScoringBatcher"/> for the anomaly package in use; a new one when
/// the package changes (the old one is disposed).
/// </summary>
public sealed class ScoringBatchers : IDisposable
{
    // One runner per two cores: a runner's call uses one core (one intra-op thread) and the HTTP side
    // needs the rest; batching, not parallel calls, is what scales.
    private static readonly int s_runners = Math.Max(1, Environment.ProcessorCount / 2);

    private readonly Lock _gate = new();
    private ScoringBatcher? _current;

    /// <summary>The batcher scoring with <paramref name="package"/>.</summary>
    public ScoringBatcher For(ModelPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        var current = Volatile.Read(ref _current);
        if (current is not null && ReferenceEquals(current.Package, package))
        {
            return current;
        }

        lock (_gate)
        {
            if (_current is null || !ReferenceEquals(_current.Package, package))
            {
                _current?.Dispose();
                Volatile.Write(ref _current, new ScoringBatcher(package, s_runners, package.Model.MaxBatch));
            }

            return _current!;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _current?.Dispose();
            _current = null;
        }
    }
}
