using System.Diagnostics.CodeAnalysis;

namespace EdgeGateway.Bus;

/// <summary>Throws kept out of hot methods so they stay small and inlinable.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowTimestampOutOfRange(ulong value, string paramName = "frame") =>
        throw new ArgumentOutOfRangeException(
            paramName,
            value,
            $"The adapter timestamp is a 48-bit microsecond counter; {value} exceeds {AdapterProtocol.MaxTimestampMicros}.");

    [DoesNotReturn]
    public static void ThrowEmptyDestination(string paramName) =>
        throw new ArgumentException("The destination must have room for at least one frame.", paramName);

    [DoesNotReturn]
    public static void ThrowInvalidData(string message) => throw new InvalidDataException(message);
}
