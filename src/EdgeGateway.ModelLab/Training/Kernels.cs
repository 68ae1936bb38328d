using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeGateway.ModelLab.Training;

/// <summary>
/// The two inner loops of the trainer with a summation order fixed by this code, not by the CPU:
/// <see cref="Axpy"/> updates each output element independently (one add per input, in input
/// order, whatever the vector width), and <see cref="Dot"/> keeps eight lanes and reduces them in
/// a fixed order. Multiply and add stay separate instructions (no fused multiply-add), so results
/// are bit-identical on any x64 or ARM64 machine.
/// </summary>
public static class Kernels
{
    /// <summary><c>y[i] += a * x[i]</c>.</summary>
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException("length mismatch", nameof(y));
        }

        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a);
            for (; i <= x.Length - 8; i += 8)
            {
                var vx = Vector256.LoadUnsafe(ref xr, (nuint)i);
                var vy = Vector256.LoadUnsafe(ref yr, (nuint)i);
                (vy + (va * vx)).StoreUnsafe(ref yr, (nuint)i);
            }
        }

        for (; i < x.Length; i++)
        {
            Unsafe.Add(ref yr, i) += a * Unsafe.Add(ref xr, i);
        }
    }

    /// <summary>Dot product with eight partial sums (lane <c>i % 8</c>) reduced pairwise in a fixed order.</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException("length mismatch", nameof(y));
        }

        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        var acc = Vector256<float>.Zero;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= x.Length - 8; i += 8)
            {
                acc += Vector256.LoadUnsafe(ref xr, (nuint)i) * Vector256.LoadUnsafe(ref yr, (nuint)i);
            }
        }
        else
        {
            Span<float> lanes = stackalloc float[8];
            for (; i <= x.Length - 8; i += 8)
            {
                for (var l = 0; l < 8; l++)
                {
                    lanes[l] += Unsafe.Add(ref xr, i + l) * Unsafe.Add(ref yr, i + l);
                }
            }

            acc = Vector256.Create(lanes[0], lanes[1], lanes[2], lanes[3], lanes[4], lanes[5], lanes[6], lanes[7]);
        }

        var s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
        for (; i < x.Length; i++)
        {
            s += Unsafe.Add(ref xr, i) * Unsafe.Add(ref yr, i);
        }

        return s;
    }
}
