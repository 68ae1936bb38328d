using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeGateway.Core.Conditioning;

/// <summary>What a centred-window kernel computes.</summary>
/// <param name="K">Hampel threshold factor: nSigma x 1.4826.</param>
/// <param name="MinDeviation">Hampel: a deviation must also exceed this (signal units, &gt;= 0) to count as a spike.</param>
/// <param name="MedianOnly">True for the rolling median: write the median, judge nothing.</param>
internal readonly record struct JudgeSettings(float K, float MinDeviation, bool MedianOnly);

/// <summary>Which implementation a centred-window kernel uses (tests pin every path against the reference).</summary>
internal enum KernelPath
{
    /// <summary>The widest vectors the machine accelerates, else scalar.</summary>
    Auto,

    /// <summary>The scalar sort-based reference.</summary>
    Reference,

    /// <summary>Four lanes (NEON on arm64, SSE on x64).</summary>
    Vector128,

    /// <summary>Eight lanes (AVX2).</summary>
    Vector256,

    /// <summary>Sixteen lanes (AVX-512).</summary>
    Vector512,
}

/// <summary>
/// Centred-window median and Hampel kernels. <c>Process</c> judges every centre whose whole window lies
/// inside <c>source</c>: centre <c>c</c> (from <c>half</c> to <c>source.Length - half - 1</c>) is written to
/// <c>destination[c - half]</c>. The rules every path follows bit for bit:
/// <list type="bullet">
/// <item>Only finite window values are statistics inputs. A median that is zero is +0: networks may order
/// -0 and +0 either way, so the median is canonicalised by adding +0 and every path gives the same bits.</item>
/// <item>A NaN centre stays NaN (a gap stays visible to gap handling) and is not counted.</item>
/// <item>Median of an even number of finite values: the mean of the middle two, <c>(a + b) * 0.5f</c>.</item>
/// <item>Hampel: MAD = median of |v - median|; the centre is replaced by the median when
/// |x - median| &gt; max(k * MAD, minDeviation) with k = nSigma * 1.4826 in float; an infinite centre is replaced when
/// the window holds any finite value. A kept centre keeps its original bits.</item>
/// <item>Median mode: the output is the median; with no finite value in the window, the centre.</item>
/// </list>
/// The vector paths handle blocks whose windows are all finite; any other block goes through the scalar
/// reference. Short tails run the same networks on single floats (<see cref="ScalarOps"/>).
/// </summary>
internal static class WindowKernel
{
    /// <summary>The largest window the kernels accept; the scalar path sorts this much on the stack.</summary>
    public const int MaxWindowSamples = 1023;

    /// <summary>Largest window the generic (transposition-sort) vector path is used for; beyond it, scalar.</summary>
    private const int MaxVectorWindowSamples = 63;

    public static int Process(ReadOnlySpan<float> source, Span<float> destination, int windowSamples, JudgeSettings settings, KernelPath path = KernelPath.Auto)
    {
        Debug.Assert(windowSamples % 2 == 1 && windowSamples <= MaxWindowSamples, "odd window within the limit");
        int centres = source.Length - windowSamples + 1;
        if (centres <= 0)
        {
            return 0;
        }

        Debug.Assert(destination.Length >= centres, "destination holds every centre");
        Debug.Assert(!source.Overlaps(destination), "kernels read neighbours that an in-place write would have changed");

        if (path == KernelPath.Auto)
        {
            path = Vector512.IsHardwareAccelerated ? KernelPath.Vector512
                : Vector256.IsHardwareAccelerated ? KernelPath.Vector256
                : Vector128.IsHardwareAccelerated ? KernelPath.Vector128
                : KernelPath.Reference;
        }

        if (windowSamples > MaxVectorWindowSamples)
        {
            path = KernelPath.Reference;
        }

        return path switch
        {
            KernelPath.Vector128 => ProcessVector<Vector128<float>, Vector128Ops>(source, destination, windowSamples, settings),
            KernelPath.Vector256 => ProcessVector<Vector256<float>, Vector256Ops>(source, destination, windowSamples, settings),
            KernelPath.Vector512 => ProcessVector<Vector512<float>, Vector512Ops>(source, destination, windowSamples, settings),
            _ => ProcessScalar(source, destination, 0, centres, windowSamples, settings),
        };
    }

    /// <summary>Scalar reference for centres <paramref name="from"/>..<paramref name="to"/> (destination indices).</summary>
    private static int ProcessScalar(ReadOnlySpan<float> source, Span<float> destination, int from, int to, int windowSamples, JudgeSettings settings)
    {
        Span<float> scratch = stackalloc float[windowSamples];
        int replaced = 0;
        for (int j = from; j < to; j++)
        {
            destination[j] = JudgeScalar(source.Slice(j, windowSamples), scratch, settings, out bool r);
            replaced += r ? 1 : 0;
        }

        return replaced;
    }

    /// <summary>Judges the centre of one window; <paramref name="scratch"/> holds at least the window.</summary>
    internal static float JudgeScalar(ReadOnlySpan<float> window, Span<float> scratch, JudgeSettings settings, out bool replaced)
    {
        replaced = false;
        float x = window[window.Length / 2];
        if (float.IsNaN(x))
        {
            return x;
        }

        int count = 0;
        foreach (float v in window)
        {
            if (float.IsFinite(v))
            {
                scratch[count++] = v + 0f; // -0 becomes +0
            }
        }

        if (count == 0)
        {
            return x;
        }

        var values = scratch[..count];
        values.Sort();
        float median = MiddleOfSorted(values);
        if (settings.MedianOnly)
        {
            return median;
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] = MathF.Abs(values[i] - median);
        }

        values.Sort();
        float mad = MiddleOfSorted(values);
        float threshold = settings.K * mad;
        if (settings.MinDeviation > threshold)
        {
            threshold = settings.MinDeviation;
        }

        if (!float.IsFinite(x) || MathF.Abs((x + 0f) - median) > threshold)
        {
            replaced = true;
            return median;
        }

        return x;
    }

    private static float MiddleOfSorted(ReadOnlySpan<float> sorted)
    {
        int m = sorted.Length / 2;
        return (sorted.Length & 1) == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) * 0.5f;
    }

    private static int ProcessVector<TV, TOps>(ReadOnlySpan<float> source, Span<float> destination, int windowSamples, JudgeSettings settings)
        where TV : unmanaged
        where TOps : IVectorOps<TV>
    {
        return windowSamples == 7
            ? ProcessVector7<TV, TOps>(source, destination, settings)
            : ProcessVectorGeneric<TV, TOps>(source, destination, windowSamples, settings);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Exchange<TV, TOps>(ref TV a, ref TV b)
        where TV : unmanaged
        where TOps : IVectorOps<TV>
    {
        var lo = TOps.Min(a, b);
        b = TOps.Max(a, b);
        a = lo;
    }

    /// <summary>
    /// Median of seven by a 13-exchange selection network (Devillard's opt_med7); outputs that do not
    /// feed the median are dead code the JIT drops. Written out (no ref helper) so every value stays in a register.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV Median7<TV, TOps>(TV p0, TV p1, TV p2, TV p3, TV p4, TV p5, TV p6)
        where TV : unmanaged
        where TOps : IVectorOps<TV>
    {
        TV t;
        t = TOps.Min(p0, p5);
        p5 = TOps.Max(p0, p5);
        p0 = t;
        t = TOps.Min(p0, p3);
        p3 = TOps.Max(p0, p3);
        p0 = t;
        t = TOps.Min(p1, p6);
        p6 = TOps.Max(p1, p6);
        p1 = t;
        t = TOps.Min(p2, p4);
        p4 = TOps.Max(p2, p4);
        p2 = t;
        t = TOps.Min(p0, p1);
        p1 = TOps.Max(p0, p1);
        p0 = t;
        t = TOps.Min(p3, p5);
        p5 = TOps.Max(p3, p5);
        p3 = t;
        t = TOps.Min(p2, p6);
        p6 = TOps.Max(p2, p6);
        p2 = t;
        t = TOps.Min(p2, p3);
        p3 = TOps.Max(p2, p3);
        p2 = t;
        t = TOps.Min(p3, p6);
        p6 = TOps.Max(p3, p6);
        p3 = t;
        t = TOps.Min(p4, p5);
        p5 = TOps.Max(p4, p5);
        p4 = t;
        t = TOps.Min(p1, p4);
        p4 = TOps.Max(p1, p4);
        p1 = t;
        t = TOps.Min(p1, p3);
        p3 = TOps.Max(p1, p3);
        p1 = t;
        t = TOps.Min(p3, p4);
        p4 = TOps.Max(p3, p4);
        p3 = t;
        return p3;
    }

    /// <summary>
    /// Sorts seven lanes-wide columns with a 16-exchange, depth-6 sorting network (optimal for 7 inputs;
    /// pinned by a 0-1-principle test).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Sort7<TV, TOps>(ref TV p0, ref TV p1, ref TV p2, ref TV p3, ref TV p4, ref TV p5, ref TV p6)
        where TV : unmanaged
        where TOps : IVectorOps<TV>
    {
        var (a0, a1, a2, a3, a4, a5, a6) = (p0, p1, p2, p3, p4, p5, p6);
        TV t;
        t = TOps.Min(a0, a6);
        a6 = TOps.Max(a0, a6);
        a0 = t;
        t = TOps.Min(a2, a3);
        a3 = TOps.Max(a2, a3);
        a2 = t;
        t = TOps.Min(a4, a5);
        a5 = TOps.Max(a4, a5);
        a4 = t;
        t = TOps.Min(a0, a2);
        a2 = TOps.Max(a0, a2);
        a0 = t;
        t = TOps.Min(a1, a4);
        a4 = TOps.Max(a1, a4);
        a1 = t;
        t = TOps.Min(a3, a6);
        a6 = TOps.Max(a3, a6);
        a3 = t;
        t = TOps.Min(a0, a1);
        a1 = TOps.Max(a0, a1);
        a0 = t;
        t = TOps.Min(a2, a5);
        a5 = TOps.Max(a2, a5);
        a2 = t;
        t = TOps.Min(a3, a4);
        a4 = TOps.Max(a3, a4);
        a3 = t;
        t = TOps.Min(a1, a2);
        a2 = TOps.Max(a1, a2);
        a1 = t;
        t = TOps.Min(a4, a6);
        a6 = TOps.Max(a4, a6);
        a4 = t;
        t = TOps.Min(a2, a3);
        a3 = TOps.Max(a2, a3);
        a2 = t;
        t = TOps.Min(a4, a5);
        a5 = TOps.Max(a4, a5);
        a4 = t;
        t = TOps.Min(a1, a2);
        a2 = TOps.Max(a1, a2);
        a1 = t;
        t = TOps.Min(a3, a4);
        a4 = TOps.Max(a3, a4);
        a3 = t;
        t = TOps.Min(a5, a6);
        a6 = TOps.Max(a5, a6);
        a5 = t;
        (p0, p1, p2, p3, p4, p5, p6) = (a0, a1, a2, a3, a4, a5, a6);
    }

    private static int ProcessVector7<TV, TOps>(ReadOnlySpan<float> source, Span<float> destination, JudgeSettings settings)
        where TV : unmanaged
        where TOps : IVectorOps<TV>
    {
        const int Window = 7;
        int centres = source.Length - Window + 1;
        int lanes = TOps.Count;
        ref float src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        var zero = TOps.Create(0f);
        var kv = TOps.Create(settings.K);
        var floor = TOps.Create(settings.MinDeviation);
        bool medianOnly = settings.MedianOnly;
        int replaced = 0;
        int lastStart = centres - lanes;

        // Blocks of `lanes` centres; when centres is not a multiple of lanes, one last block is moved back to end
        // exactly at the last centre, and its first `skip` lanes (already written, with the same bits) are not
        // counted again. That keeps streaming chunks' tails on the vector path.
        for (int j = 0, skip = 0; j <= lastStart; j = NextBlock(j, lanes, lastStart, ref skip))
        {
            // Loads stay inside source: the last one ends at j + lanes - 1 + 6 < source.Length.
            nuint o = (nuint)j;
            var v0 = TOps.Load(ref src, o);
            var v3 = TOps.Load(ref src, o + 3);
            var v6 = TOps.Load(ref src, o + 6);

            var v1 = TOps.Load(ref src, o + 1);
            var v2 = TOps.Load(ref src, o + 2);
            var v4 = TOps.Load(ref src, o + 4);
            var v5 = TOps.Load(ref src, o + 5);

            // With 3 or more lanes, v0, v3 and v6 together cover every value of this block's windows.
            if (!TOps.AllFinite(v0, v3, v6) || (lanes < 3 && !(TOps.AllFinite(v1, v2, v4) && TOps.AllFinite(v5, v5, v5))))
            {
                replaced += ProcessScalar(source, destination, j + skip, j + lanes, Window, settings);
                continue;
            }

            // The networks may order -0 and +0 either way; only the median's sign of zero can reach the output, so
            // it alone is canonicalised (adding +0 turns -0 into +0). Deviations go through Abs or compare with >.
            if (medianOnly)
            {
                TOps.Store(TOps.Add(Median7<TV, TOps>(v0, v1, v2, v3, v4, v5, v6), zero), ref dst, o);
                continue;
            }

            var x = v3;
            Sort7<TV, TOps>(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6);
            var median = TOps.Add(v3, zero);

            // MAD without a second network: below the median the deviations median - v2 <= median - v1 <= median - v0
            // are sorted, above it v4 - median <= v5 - median <= v6 - median too, and the median's own is 0. The MAD
            // (4th smallest of 7) is the 3rd smallest of the two sorted triples a, b merged:
            // min(a2, b2, max(a0, b1), max(a1, b0)). Exact: v - m and m - v round to the same magnitude.
            var a0 = TOps.Subtract(median, v2);
            var a1 = TOps.Subtract(median, v1);
            var a2 = TOps.Subtract(median, v0);
            var b0 = TOps.Subtract(v4, median);
            var b1 = TOps.Subtract(v5, median);
            var b2 = TOps.Subtract(v6, median);
            var mad = TOps.Min(TOps.Min(a2, b2), TOps.Min(TOps.Max(a0, b1), TOps.Max(a1, b0)));
            var d3 = TOps.Abs(TOps.Subtract(x, median));
            var spike = TOps.GreaterThan(d3, TOps.Max(TOps.Multiply(kv, mad), floor));
            TOps.Store(TOps.Select(spike, median, x), ref dst, o);
            replaced += TOps.CountSet(spike, skip);
        }

        // Only when there are fewer centres than lanes.
        return replaced + (lastStart < 0 ? Tail(source, destination, 0, centres, Window, settings, lanes) : 0);
    }

    /// <summary>The next block start after <paramref name="start"/>; past <paramref name="lastStart"/> when done.</summary>
    private static int NextBlock(int start, int lanes, int lastStart, ref int skip)
    {
        if (skip > 0 || start == lastStart)
        {
            return int.MaxValue; // the block just done ended at the last centre
        }

        int next = start + lanes;
        if (next <= lastStart)
        {
            return next;
        }

        skip = next - lastStart;
        return lastStart;
    }

    private static int ProcessVectorGeneric<TV, TOps>(ReadOnlySpan<float> source, Span<float> destination, int windowSamples, JudgeSettings settings)
        where TV : unmanaged
        where TOps : IVectorOps<TV>
    {
        int centres = source.Length - windowSamples + 1;
        int lanes = TOps.Count;
        int half = windowSamples / 2;
        ref float src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        var zero = TOps.Create(0f);
        var kv = TOps.Create(settings.K);
        var floor = TOps.Create(settings.MinDeviation);
        bool medianOnly = settings.MedianOnly;
        Span<TV> v = stackalloc TV[windowSamples];
        int replaced = 0;
        int j = 0;
        for (; j <= centres - lanes; j += lanes)
        {
            nuint o = (nuint)j;
            var finiteCheck = zero;
            for (int w = 0; w < windowSamples; w++)
            {
                var value = TOps.Load(ref src, o + (nuint)w);
                finiteCheck = TOps.Add(finiteCheck, TOps.Subtract(value, value));
                v[w] = TOps.Add(value, zero);
            }

            if (!TOps.AllFinite(finiteCheck, zero, zero))
            {
                replaced += ProcessScalar(source, destination, j, j + lanes, windowSamples, settings);
                continue;
            }

            var x = TOps.Load(ref src, o + (nuint)half);
            var centre = v[half];
            TranspositionSort<TV, TOps>(v);
            var median = v[half];
            if (medianOnly)
            {
                TOps.Store(median, ref dst, o);
                continue;
            }

            for (int w = 0; w < windowSamples; w++)
            {
                v[w] = TOps.Abs(TOps.Subtract(v[w], median));
            }

            TranspositionSort<TV, TOps>(v);
            var spike = TOps.GreaterThan(TOps.Abs(TOps.Subtract(centre, median)), TOps.Max(TOps.Multiply(kv, v[half]), floor));
            TOps.Store(TOps.Select(spike, median, x), ref dst, o);
            replaced += TOps.CountSet(spike, 0);
        }

        return replaced + Tail(source, destination, j, centres, windowSamples, settings, lanes);
    }

    /// <summary>
    /// Centres <paramref name="from"/>..<paramref name="to"/> left over by a vector loop of <paramref name="lanes"/>
    /// lanes: the same networks on single floats (results are identical to the reference, only faster).
    /// </summary>
    private static int Tail(ReadOnlySpan<float> source, Span<float> destination, int from, int to, int windowSamples, JudgeSettings settings, int lanes)
    {
        if (from >= to || lanes == 1)
        {
            return from >= to ? 0 : ProcessScalar(source, destination, from, to, windowSamples, settings);
        }

        var tailSource = source.Slice(from, to - from + windowSamples - 1);
        var tailDestination = destination[from..to];
        return windowSamples == 7
            ? ProcessVector7<float, ScalarOps>(tailSource, tailDestination, settings)
            : ProcessVectorGeneric<float, ScalarOps>(tailSource, tailDestination, windowSamples, settings);
    }

    /// <summary>Odd-even transposition sort: n rounds of neighbour exchanges sort n lanes-wide columns.</summary>
    private static void TranspositionSort<TV, TOps>(Span<TV> v)
        where TV : unmanaged
        where TOps : IVectorOps<TV>
    {
        int n = v.Length;
        for (int round = 0; round < n; round++)
        {
            for (int i = round & 1; i + 1 < n; i += 2)
            {
                Exchange<TV, TOps>(ref v[i], ref v[i + 1]);
            }
        }
    }
}
