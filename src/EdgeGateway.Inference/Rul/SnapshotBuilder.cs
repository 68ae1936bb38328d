using EdgeGateway.Core.Conditioning;

namespace EdgeGateway.Inference.Rul;

/// <summary>
/// Finds one engine's trend snapshot in a landing: the stable window (every stability parameter's
/// range within a fraction of its mean, no gap in any column) with the highest fan speed, i.e.
/// stable cruise, and the average of every column over it. Windows come from a
/// <see cref="WindowBuilder"/> on the conditioned grid, so columns line up by time.
/// </summary>
public sealed class SnapshotBuilder
{
    private const int StrideSamples = 5;

    private readonly WindowBuilder _windows;
    private readonly int[] _stability;
    private readonly double _fraction;
    private readonly float[] _window;
    private readonly double[] _bestMeans;
    private double _bestKey = double.NegativeInfinity;

    /// <summary>Creates a builder over bus parameters <paramref name="columns"/>.</summary>
    /// <param name="columns">Parameters to average (distinct).</param>
    /// <param name="stabilityParameters">Parameters whose range decides stability; the first also ranks windows (highest wins, later wins ties).</param>
    /// <param name="windowSamples">Window length in grid samples.</param>
    /// <param name="stabilityFraction">Allowed range as a fraction of the mean.</param>
    public SnapshotBuilder(IReadOnlyList<string> columns, IReadOnlyList<string> stabilityParameters, int windowSamples, double stabilityFraction)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(stabilityParameters);
        Columns = columns;
        _windows = new WindowBuilder(windowSamples, StrideSamples, columns, Math.Max(16_384, 4 * (windowSamples + StrideSamples)));
        _stability = [.. stabilityParameters.Select(p => columns.ToList().IndexOf(p)).Where(i => i >= 0)];
        _fraction = stabilityFraction;
        _window = new float[_windows.WindowValues];
        _bestMeans = new double[columns.Count];
    }

    /// <summary>Averaged parameters.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Grid index of the chosen window's start, or null when no stable window was seen.</summary>
    public long? BestWindowStart { get; private set; }

    /// <summary>Adds conditioned grid samples of one column.</summary>
    public void Append(int column, long firstGridIndex, ReadOnlySpan<float> values)
    {
        int offset = 0;
        while (offset < values.Length)
        {
            int taken = _windows.Append(column, firstGridIndex + offset, values[offset..]);
            offset += taken;
            bool built = Drain();
            if (taken == 0 && !built)
            {
                return;
            }
        }
    }

    /// <summary>The averages of the chosen window by parameter, or null when the landing had no stable window.</summary>
    public IReadOnlyDictionary<string, double>? Complete()
    {
        Drain();
        if (BestWindowStart is null)
        {
            return null;
        }

        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int c = 0; c < Columns.Count; c++)
        {
            result[Columns[c]] = _bestMeans[c];
        }

        return result;
    }

    private bool Drain()
    {
        bool any = false;
        int columns = Columns.Count;
        int rows = _windows.LengthSamples;
        while (_windows.TryBuild(_window, out long start))
        {
            any = true;
            bool stable = true;
            foreach (int c in _stability)
            {
                double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
                for (int r = 0; r < rows; r++)
                {
                    double v = _window[(r * columns) + c];
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                    sum += v;
                }

                double mean = sum / rows;
                stable &= mean > 0 && (max - min) <= _fraction * mean;
            }

            if (!stable)
            {
                continue;
            }

            double key = 0;
            if (_stability.Length > 0)
            {
                for (int r = 0; r < rows; r++)
                {
                    key += _window[(r * columns) + _stability[0]];
                }
            }

            if (key >= _bestKey)
            {
                _bestKey = key;
                BestWindowStart = start;
                for (int c = 0; c < columns; c++)
                {
                    double sum = 0;
                    for (int r = 0; r < rows; r++)
                    {
                        sum += _window[(r * columns) + c];
                    }

                    _bestMeans[c] = sum / rows;
                }
            }
        }

        return any;
    }
}
