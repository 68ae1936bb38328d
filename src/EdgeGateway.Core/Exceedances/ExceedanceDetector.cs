namespace EdgeGateway.Core.Exceedances;

/// <summary>An exceedance in grid indices of the conditioned grid.</summary>
/// <param name="EnginePosition">Engine position.</param>
/// <param name="Limit">The limit exceeded.</param>
/// <param name="Start">First grid index beyond the threshold.</param>
/// <param name="End">One past the last grid index beyond it.</param>
/// <param name="Peak">Most extreme value in the run (highest for above, lowest for below).</param>
/// <param name="OpenAtEnd">True when the landing ended while still beyond the threshold.</param>
public sealed record ExceedanceFinding(int EnginePosition, ExceedanceLimit Limit, long Start, long End, double Peak, bool OpenAtEnd);

/// <summary>
/// Checks conditioned values against an engine type's limits, independent of any model: a run of
/// grid samples beyond a limit's threshold that lasts at least its hold time is an exceedance.
/// A gap (NaN) or a value back within the limit ends a run. Works on the conditioned grid so a
/// single-sample spike (removed by the Hampel stage) never counts. Allocation-free per sample.
/// </summary>
public sealed class ExceedanceDetector
{
    private readonly ExceedanceLimitSet _limits;
    private readonly Dictionary<(int Engine, string Parameter), int[]> _byChannel = [];
    private readonly RunState[] _runs;
    private readonly int[] _engineOf;
    private readonly long[] _holdSamples;
    private readonly List<ExceedanceFinding> _found = [];

    /// <summary>Creates a detector for engines 1..<paramref name="engineCount"/> on a grid of <paramref name="period"/>.</summary>
    public ExceedanceDetector(ExceedanceLimitSet limits, int engineCount, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfLessThan(engineCount, 1);
        _limits = limits;
        int n = limits.Limits.Count * engineCount;
        _runs = new RunState[n];
        _engineOf = new int[n];
        _holdSamples = new long[n];
        for (int e = 1; e <= engineCount; e++)
        {
            for (int i = 0; i < limits.Limits.Count; i++)
            {
                int slot = ((e - 1) * limits.Limits.Count) + i;
                var limit = limits.Limits[i];
                _engineOf[slot] = e;
                _holdSamples[slot] = Math.Max(1, (long)Math.Ceiling(limit.HoldFor / period));
                _runs[slot].Start = -1;
                var key = (e, limit.Parameter);
                _byChannel[key] = _byChannel.TryGetValue(key, out var slots) ? [.. slots, slot] : [slot];
            }
        }
    }

    /// <summary>
    /// Called the moment a run has lasted its limit's hold time (once per exceedance, on the thread
    /// calling <see cref="Add"/>), with the run so far: <see cref="ExceedanceFinding.End"/> one past
    /// the grid index that completed the hold, <see cref="ExceedanceFinding.Peak"/> the peak so far,
    /// <see cref="ExceedanceFinding.OpenAtEnd"/> true. The finding <see cref="Complete"/> returns for
    /// the same run has the same engine, limit and start. Null (the default) costs nothing.
    /// </summary>
    public Action<ExceedanceFinding>? Opened { get; set; }

    /// <summary>The limit set.</summary>
    public ExceedanceLimitSet Limits => _limits;

    /// <summary>Limit slots watching a channel (empty when none); look up once per channel, then call <see cref="Add"/>.</summary>
    public int[] SlotsFor(int enginePosition, string parameter) =>
        _byChannel.TryGetValue((enginePosition, parameter), out var slots) ? slots : [];

    /// <summary>Checks grid samples <paramref name="firstGridIndex"/>.. of a channel against the limits in <paramref name="slots"/>.</summary>
    public void Add(int[] slots, long firstGridIndex, ReadOnlySpan<float> values)
    {
        ArgumentNullException.ThrowIfNull(slots);
        foreach (int slot in slots)
        {
            var limit = _limits.Limits[slot % _limits.Limits.Count];
            ref var run = ref _runs[slot];
            bool above = limit.Direction == LimitDirection.Above;
            for (int i = 0; i < values.Length; i++)
            {
                float v = values[i];
                long index = firstGridIndex + i;
                bool beyond = !float.IsNaN(v) && (above ? v > limit.Threshold : v < limit.Threshold);
                if (beyond)
                {
                    if (run.Start < 0 || index != run.Next)
                    {
                        End(slot, ref run, openAtEnd: false);
                        run.Start = index;
                        run.Peak = v;
                    }

                    run.Peak = above ? Math.Max(run.Peak, v) : Math.Min(run.Peak, v);
                    run.Next = index + 1;
                    if (run.Next - run.Start == _holdSamples[slot] && Opened is { } opened)
                    {
                        opened(new ExceedanceFinding(_engineOf[slot], limit, run.Start, run.Next, run.Peak, OpenAtEnd: true));
                    }
                }
                else if (run.Start >= 0)
                {
                    End(slot, ref run, openAtEnd: false);
                }
            }
        }
    }

    /// <summary>Ends open runs and returns every exceedance of the landing, ordered by start.</summary>
    public IReadOnlyList<ExceedanceFinding> Complete()
    {
        for (int slot = 0; slot < _runs.Length; slot++)
        {
            End(slot, ref _runs[slot], openAtEnd: true);
        }

        return [.. _found.OrderBy(f => f.Start).ThenBy(f => f.EnginePosition).ThenBy(f => f.Limit.Name, StringComparer.Ordinal)];
    }

    private void End(int slot, ref RunState run, bool openAtEnd)
    {
        if (run.Start >= 0 && run.Next - run.Start >= _holdSamples[slot])
        {
            _found.Add(new ExceedanceFinding(_engineOf[slot], _limits.Limits[slot % _limits.Limits.Count], run.Start, run.Next, run.Peak, openAtEnd));
        }

        run.Start = -1;
    }

    private struct RunState
    {
        public long Start;
        public long Next;
        public double Peak;
    }
}
