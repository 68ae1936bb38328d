using EdgeGateway.Core.Alerts;

namespace EdgeGateway.Core.Tests.Alerts;

internal static class AlertSamples
{
    public static readonly DateTimeOffset FlightStart = new(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);

    public static AlertCause Cause(AlertSource source = AlertSource.AnomalyEpisode, int position = 2, string parameter = "vibration", string kind = "trend") =>
        new(source, position, "ESN-779123", parameter, kind);

    public static AlertEvidence Evidence(int minute = 0) => new()
    {
        Channels = ["ENG2.N2VIB", "ENG2.N1VIB"],
        WindowStart = FlightStart.AddMinutes(minute),
        WindowEnd = FlightStart.AddMinutes(minute + 1),
        Observed = 0.93,
        Reference = 0.70,
        Unit = "score",
        DeviationSigma = 4.2,
        Detail = "vib-ae int8 1.0.0",
    };

    public static AlertReport Report(AlertSeverity severity = AlertSeverity.Caution, AlertCause? cause = null, int minute = 0) =>
        new(cause ?? Cause(), severity, "ENG 2 vibration trend: inspect before next departure", Evidence(minute));
}
