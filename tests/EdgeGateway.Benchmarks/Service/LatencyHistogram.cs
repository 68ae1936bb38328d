using System.Diagnostics;
using System.Numerics;

namespace EdgeGateway.Benchmarks.Service;

/// <summary>
/// A fixed-bucket latency histogram in the HdrHistogram layout: values below 128 have a bucket each,
/// above that every power-of-two range is split into 64 equal buckets, so any recorded value is known
/// to within 1/64 (1.6 %) from 1 tick up to <see cref="long.MaxValue"/>. <see cref="Record"/> is an
/// index computation and an increment: no allocation, no lock. One instance per recording thread
/// (or per sequential async loop); <see cref="Add"/> merges them afterwards.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBits = 6;
    private const int Sub = 1 << SubBits;           // 64 buckets per power of two above the linear range
    private const int Linear = 2 * Sub;              // values 0..127 are exact
    private const int Buckets = Linear + ((63 - SubBits) * Sub);

    private readonly long[] _counts = new long[Buckets];

    /// <summary>Values recorded.</summary>
    public long Count { get; private set; }

    /// <summary>Largest value recorded (exact).</summary>
    public long Max { get; private set; }

    /// <summary>Records one value (e.g. Stopwatch ticks); negative values count as 0.</summary>
    public void Record(long value)
    {
        value = Math.Max(0, value);
        _counts[IndexOf(value)]++;
        Count++;
        if (value > Max)
        {
            Max = value;
        }
    }

    /// <summary>Adds <paramref name="other"/>'s counts to this one.</summary>
    public void Add(LatencyHistogram other)
    {
        for (int i = 0; i < Buckets; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>
    /// The value at quantile <paramref name="q"/> (0..1): the upper edge of the bucket holding the
    /// ceil(q x Count)-th value, capped at <see cref="Max"/> (reports never understate a latency).
    /// </summary>
    public long ValueAt(double q)
    {
        if (Count == 0)
        {
            return 0;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        long seen = 0;
        for (int i = 0; i < Buckets; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(Max, UpperEdge(i));
            }
        }

        return Max;
    }

    /// <summary><see cref="ValueAt"/> in milliseconds for a histogram of <see cref="Stopwatch"/> ticks.</summary>
    public double MillisecondsAt(double q) => ValueAt(q) * 1000.0 / Stopwatch.Frequency;

    internal static int IndexOf(long value)
    {
        if (value < Linear)
        {
            return (int)value;
        }

        // value has its top bit at position top >= 7; keep the 7 bits from the top (64..127) and the shift.
        int top = 63 - BitOperations.LeadingZeroCount((ulong)value);
        int shift = top - SubBits;
        return Linear + ((shift - 1) * Sub) + (int)((value >> shift) - Sub);
    }

    internal static long UpperEdge(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        int shift = ((index - Linear) / Sub) + 1;
        long sub = ((index - Linear) % Sub) + Sub;
        return ((sub + 1) << shift) - 1;
    }
}
