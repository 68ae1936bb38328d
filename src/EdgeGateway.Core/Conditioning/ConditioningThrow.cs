using System.Diagnostics.CodeAnalysis;

namespace EdgeGateway.Core.Conditioning;

/// <summary>Throws for argument errors, kept out of line so the filters' hot methods stay small.</summary>
internal static class ConditioningThrow
{
    [DoesNotReturn]
    public static void ArgumentOutOfRange(string paramName, object? value, string allowed) =>
        throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} = {value}: {allowed}");

    [DoesNotReturn]
    public static void Argument(string paramName, string message) =>
        throw new ArgumentException(message, paramName);

    public static void CheckOddWindow(int windowSamples, string paramName)
    {
        if (windowSamples < 3 || windowSamples > WindowKernel.MaxWindowSamples || (windowSamples & 1) == 0)
        {
            ArgumentOutOfRange(paramName, windowSamples, $"an odd number of samples from 3 to {WindowKernel.MaxWindowSamples}");
        }
    }

    public static void CheckSigmas(float nSigma, string paramName)
    {
        if (!float.IsFinite(nSigma) || nSigma < 0)
        {
            ArgumentOutOfRange(paramName, nSigma, "a finite number of standard deviations >= 0");
        }
    }

    public static void CheckMinDeviation(float minDeviation, string paramName)
    {
        if (!float.IsFinite(minDeviation) || minDeviation < 0)
        {
            ArgumentOutOfRange(paramName, minDeviation, "a finite deviation >= 0 in signal units");
        }
    }

    public static void CheckSameLength(int inputLength, int outputLength, string paramName)
    {
        if (outputLength < inputLength)
        {
            Argument(paramName, $"{paramName} holds {outputLength} samples; it needs at least {inputLength} (one per input sample)");
        }
    }

    public static void CheckNoOverlap(ReadOnlySpan<float> input, Span<float> output, string paramName)
    {
        if (input.Overlaps(output))
        {
            Argument(paramName, $"{paramName} overlaps the input; centred windows read neighbours, so filter into a separate buffer");
        }
    }
}
