namespace EdgeGateway.Hosting;

/// <summary>How the crew annunciator is driven.</summary>
public enum CrewPanelMode
{
    /// <summary>No panel: the console shows what the crew would see (the embedded default; no GPIO needed).</summary>
    Console,

    /// <summary>The GPIO lamps, buzzer, button and I2C LCD of a real gateway box.</summary>
    Hardware,
}

/// <summary>Crew panel settings (config section <c>Crew</c>).</summary>
public sealed class CrewOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Crew";

    /// <summary>Panel mode. Default <see cref="CrewPanelMode.Console"/>.</summary>
    public CrewPanelMode Mode { get; set; } = CrewPanelMode.Console;

    /// <summary>Pin map and LCD address (firmware-config/crew-panel.json).</summary>
    public string PanelConfig { get; set; } = Path.Combine(AppContext.BaseDirectory, "firmware-config", "crew-panel.json");
}
