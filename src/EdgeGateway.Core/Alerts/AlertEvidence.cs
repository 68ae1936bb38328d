using System.Collections.Immutable;

namespace EdgeGateway.Core.Alerts;

/// <summary>
/// Why an alert was raised, as data a maintenance engineer can check: which channels, over which
/// window of the flight, and how far from normal. Times are the data's own stamps (bus or capture
/// time), so replay gives the same evidence as the live run.
/// </summary>
public sealed record AlertEvidence
{
    /// <summary>The channels that explain the alert, most important first (for example "ENG2.N2VIB").</summary>
    public required ImmutableArray<string> Channels { get; init; }

    /// <summary>Start of the data window the finding covers.</summary>
    public required DateTimeOffset WindowStart { get; init; }

    /// <summary>End of the data window the finding covers; not before <see cref="WindowStart"/>.</summary>
    public required DateTimeOffset WindowEnd { get; init; }

    /// <summary>
    /// The value that was found: peak anomaly score, highest EGT, estimated cycles left, population
    /// stability index, seconds without data. Null when the finding has no single value.
    /// </summary>
    public double? Observed { get; init; }

    /// <summary>What <see cref="Observed"/> is compared with: threshold, red line, baseline, configured minimum.</summary>
    public double? Reference { get; init; }

    /// <summary>Unit of <see cref="Observed"/> and <see cref="Reference"/> ("degC", "cycles", "score", "PSI").</summary>
    public string? Unit { get; init; }

    /// <summary>How far from normal in standard deviations of the normal behaviour, when known.</summary>
    public double? DeviationSigma { get; init; }

    /// <summary>A short free-text detail for maintenance (model id and version, limit name, grade).</summary>
    public string? Detail { get; init; }

    /// <summary>Observed minus reference, when both are known.</summary>
    public double? Excess => Observed is double o && Reference is double r ? o - r : null;

    /// <summary>Length of the window.</summary>
    public TimeSpan Window => WindowEnd - WindowStart;

    /// <summary>Checks the evidence; throws <see cref="ArgumentException"/> naming the field.</summary>
    public void Validate()
    {
        if (Channels.IsDefaultOrEmpty)
        {
            ThrowHelper.ThrowArgument(nameof(Channels), "evidence must name at least one channel");
        }

        foreach (string channel in Channels)
        {
            if (string.IsNullOrWhiteSpace(channel))
            {
                ThrowHelper.ThrowArgument(nameof(Channels), "evidence channel names must be non-empty");
            }
        }

        if (WindowEnd < WindowStart)
        {
            ThrowHelper.ThrowArgument(nameof(WindowEnd), $"evidence window ends ({WindowEnd:O}) before it starts ({WindowStart:O})");
        }

        if (Observed is double o && !double.IsFinite(o))
        {
            ThrowHelper.ThrowArgument(nameof(Observed), $"evidence value must be finite (was {o})");
        }

        if (Reference is double r && !double.IsFinite(r))
        {
            ThrowHelper.ThrowArgument(nameof(Reference), $"evidence reference must be finite (was {r})");
        }

        if (DeviationSigma is double s && !double.IsFinite(s))
        {
            ThrowHelper.ThrowArgument(nameof(DeviationSigma), $"evidence deviation must be finite (was {s})");
        }
    }
}
