using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeGateway.Core.Conditioning;

/// <summary>Which implementation a centred-window kernel uses (tests pin every path against the reference).</summary>
internal enum KernelPath
{
    /// <summary>The widest vectors the machine accelerates, else scalar.</summary>
    Auto,

    /// <summary>The scalar sort-based reference.</summary>
    Reference,

    Vector128,
    Vector256,
    Vector512,
}

/// <summary>
/// Centred-window median and Hampel kernels. <c>Process</c> judges every centre whose whole window lies
/// inside <c>source</c>: centre <c>c</c> (from <c>half</c> to <c>source.Length - half - 1</c>) is written to
/// <c>destination[c - half]</c>. The rules every path follows bit for bit:
/// <list type="bullet">
/// <item>Only finite window values are statistics inputs; zeros count as +0 (so every platform's
/// vector min/max and the scalar sort pick the same bits).</item>
/// <item>A NaN centre stays NaN (a gap stays visible to gap handling) and is not counted.</item>
/// <item>Median of an even number of finite values: the mean of the middle two, <c>(a + b) * 0.5f</c>.</item>
/// <item>Hampel: MAD = median of |v - median|; the centre is replaced by the median when
/// |x - median| &gt; k * MAD with k = nSigma * 1.4826 in float; an infinite centre is replaced when
/// the window holds any finite value. A kept centre keeps its original bits.</item>
/// <item>Median mode: the output is the median; with no finite value in the window, the centre.</item>
/// </list>
/// The vector paths handle blocks whose windows are all finite; any other block and the tail go
/// through the scalar code, which is the reference itself.
/// </summary>
internal static class WindowKernel
{
    /// <summary>The largest window the kernels accept; the scalar path sorts this much on the stack.</summary>
    public const int MaxWindowSamples = 1023;

    /// <summary>Largest window the generic (transposition-sort) vector path is used for; beyond it, scalar.</summary>
    private const int MaxVectorWindowSamples = 63;

    public static int Process(ReadOnlySpan<float> source, Span<float> destination, int windowSamples, float k, bool medianOnly, KernelPath path = KernelPath.Auto)
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
            KernelPath.Vector128 => ProcessVector<Vector128<float>, Vector128Ops>(source, destination, windowSamples, k, medianOnly),
            KernelPath.Vector256 => ProcessVector<Vector256<float>, Vector256Ops>(source, destination, windowSamples, k, medianOnly),
            KernelPath.Vector512 => ProcessVector<Vector512<float>, Vector512Ops>(source, destination, windowSamples, k, medianOnly),
            _ => ProcessScalar(source, destination, 0, centres, windowSamples, k, medianOnly),
        };
    }

    /// <summary>Scalar reference for centres <paramref name="from"/>..<paramref name="to"/> (destination indices).</summary>
    private static int ProcessScalar(ReadOnlySpan<float> source, Span<float> destination, int from, int to, int windowSamples, float k, bool medianOnly)
    {
        Span<float> scratch = stackalloc float[windowSamples];
        int replaced = 0;
        for (int j = from; j < to; j++)
        {
            destination[j] = JudgeScalar(source.Slice(j, windowSamples), scratch, k, medianOnly, out bool r);
            replaced += r ? 1 : 0;
        }

        return replaced;
    }

    /// <summary>Judges the centre of one window; <paramref name="scratch"/> holds at least the window.</summary>
    internal static float JudgeScalar(ReadOnlySpan<float> window, Span<float> scratch, float k, bool medianOnly, out bool replaced)
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
        if (medianOnly)
        {
            return median;
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] = MathF.Abs(values[i] - median);
        }

        values.Sort();
        float mad = MiddleOfSorted(values);
        if (!float.IsFinite(x) || MathF.Abs((x + 0f) - median) > k * mad)
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

    private static int ProcessVector<TV, TOps>(ReadOnlySpan<float> source, Span<float> destination, int windowSamples, float k, bool medianOnly)
        where TV : unmanaged
        where TOps : IVectorOps<TV>
    {
        return windowSamples == 7
            ? ProcessVector7<TV, TOps>(source, destination, k, medianOnly)
            : ProcessVectorGeneric<TV, TOps>(source, destination, windowSamples, k, medianOnly);
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

    private static int ProcessVector7<TV, TOps>(ReadOnlySpan<float> source, Span<float> destination, float k, bool medianOnly)
        where TV : unmanaged
        where TOps : IVectorOps<TV>
    {
        const int Window = 7;
        int centres = source.Length - Window + 1;
        int lanes = TOps.Count;
        ref float src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        var zero = TOps.Create(0f);
        var kv = TOps.Create(k);
        int replaced = 0;
        int j = 0;
        for (; j <= centres - lanes; j += lanes)
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
                replaced += ProcessScalar(source, destination, j, j + lanes, Window, k, medianOnly);
                continue;
            }

            var x = v3;
            v0 = TOps.Add(v0, zero);
            v1 = TOps.Add(v1, zero);
            v2 = TOps.Add(v2, zero);
            v3 = TOps.Add(v3, zero);
            v4 = TOps.Add(v4, zero);
            v5 = TOps.Add(v5, zero);
            v6 = TOps.Add(v6, zero);
            var median = Median7<TV, TOps>(v0, v1, v2, v3, v4, v5, v6);
            if (medianOnly)
            {
                TOps.Store(median, ref dst, o);
                continue;
            }

            var d3 = TOps.Abs(TOps.Subtract(v3, median));
            var mad = Median7<TV, TOps>(
                TOps.Abs(TOps.Subtract(v0, median)),
                TOps.Abs(TOps.Subtract(v1, median)),
                TOps.Abs(TOps.Subtract(v2, median)),
                d3,
                TOps.Abs(TOps.Subtract(v4, median)),
                TOps.Abs(TOps.Subtract(v5, median)),
                TOps.Abs(TOps.Subtract(v6, median)));
            var spike = TOps.GreaterThan(d3, TOps.Multiply(kv, mad));
            TOps.Store(TOps.Select(spike, median, x), ref dst, o);
            replaced += TOps.CountSet(spike);
        }

        return replaced + Tail(source, destination, j, centres, Window, k, medianOnly, lanes);
    }

    private static int ProcessVectorGeneric<TV, TOps>(ReadOnlySpan<float> source, Span<float> destination, int windowSamples, float k, bool medianOnly)
        where TV : unmanaged
        where TOps : IVectorOps<TV>
    {
        int centres = source.Length - windowSamples + 1;
        int lanes = TOps.Count;
        int half = windowSamples / 2;
        ref float src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        var zero = TOps.Create(0f);
        var kv = TOps.Create(k);
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
                replaced += ProcessScalar(source, destination, j, j + lanes, windowSamples, k, medianOnly);
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
            var spike = TOps.GreaterThan(TOps.Abs(TOps.Subtract(centre, median)), TOps.Multiply(kv, v[half]));
            TOps.Store(TOps.Select(spike, median, x), ref dst, o);
            replaced += TOps.CountSet(spike);
        }

        return replaced + Tail(source, destination, j, centres, windowSamples, k, medianOnly, lanes);
    }

    /// <summary>
    /// Centres <paramref name="from"/>..<paramref name="to"/> left over by a vector loop of <paramref name="lanes"/>
    /// lanes: the same networks on single floats (results are identical to the reference, only faster).
    /// </summary>
    private static int Tail(ReadOnlySpan<float> source, Span<float> destination, int from, int to, int windowSamples, float k, bool medianOnly, int lanes)
    {
        if (from >= to || lanes == 1)
        {
            return from >= to ? 0 : ProcessScalar(source, destination, from, to, windowSamples, k, medianOnly);
        }

        var tailSource = source.Slice(from, to - from + windowSamples - 1);
        var tailDestination = destination[from..to];
        return windowSamples == 7
            ? ProcessVector7<float, ScalarOps>(tailSource, tailDestination, k, medianOnly)
            : ProcessVectorGeneric<float, ScalarOps>(tailSource, tailDestination, windowSamples, k, medianOnly);
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
