using System.Globalization;

namespace EdgeGateway.Core.Alerts;

/// <summary>Builds crew text in the house form: "ENG 2 vibration trend: inspect before next departure".</summary>
public static class AlertText
{
    /// <summary>The action for a caution found at the gate.</summary>
    public const string InspectBeforeDeparture = "inspect before next departure";

    /// <summary>Composes "ENG {position} {finding}: {action}".</summary>
    public static string ForEngine(int enginePosition, string finding, string action) =>
        string.Create(CultureInfo.InvariantCulture, $"ENG {enginePosition} {finding.Trim()}: {action.Trim()}");
}
