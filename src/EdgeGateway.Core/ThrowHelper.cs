using System.Diagnostics.CodeAnalysis;

namespace EdgeGateway.Core;

/// <summary>Throws kept out of hot methods so they stay small enough to inline.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string name, object? value, string message) =>
        throw new ArgumentOutOfRangeException(name, value, message);

    [DoesNotReturn]
    public static void ThrowArgument(string name, string message) =>
        throw new ArgumentException(message, name);
}
