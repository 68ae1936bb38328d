using System.ComponentModel.DataAnnotations;

namespace EdgeGateway.Hosting;

/// <summary>Where words come from.</summary>
public enum BusSourceKind
{
    /// <summary>The built-in simulator plays an aircraft (the embedded default; no hardware).</summary>
    Simulator,

    /// <summary>The ARINC 429 adapter on a serial port.</summary>
    Serial,
}

/// <summary>Settings of the gateway itself (config section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway";

    /// <summary>Folder for the outbox, session recordings and engine history. Default <c>data</c> under the working directory.</summary>
    [Required]
    public string DataFolder { get; set; } = "data";

    /// <summary>Aircraft interface table. Default: the shipped A320/CFM56 example.</summary>
    [Required]
    public string LabelTable { get; set; } = Cli.DefaultPaths.LabelTable;

    /// <summary>Aircraft registration reported with live landings (the adapter does not know it).</summary>
    [Required]
    public string Tail { get; set; } = "D-AISM";

    /// <summary>Session recordings kept on disk (oldest reported ones are deleted first).</summary>
    [Range(1, 10_000)]
    public int KeepSessions { get; set; } = 50;
}

/// <summary>Settings of the word source and landing sessions (config section <c>Bus</c>).</summary>
public sealed class BusOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Bus";

    /// <summary>Where words come from. Default <see cref="BusSourceKind.Simulator"/>.</summary>
    public BusSourceKind Source { get; set; } = BusSourceKind.Simulator;

    /// <summary>Serial adapter device (for <see cref="BusSourceKind.Serial"/>), e.g. <c>/dev/arinc-adapter</c> (see the udev rule).</summary>
    public string? SerialPort { get; set; }

    /// <summary>Serial line speed.</summary>
    [Range(1200, 16_000_000)]
    public int BaudRate { get; set; } = Bus.SerialFrameSourceOptions.DefaultBaudRate;

    /// <summary>A landing session ends after the bus has been silent this long. Default 5 s.</summary>
    public TimeSpan SilenceTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A landing session is closed after this long even if words keep coming. Default 20 h.</summary>
    public TimeSpan MaxSessionDuration { get; set; } = TimeSpan.FromHours(20);
}

/// <summary>The built-in simulator used when <see cref="BusOptions.Source"/> is Simulator (config section <c>Simulator</c>).</summary>
public sealed class SimulatorOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Simulator";

    /// <summary>Length of the simulated flight. Default 1.5 h.</summary>
    public TimeSpan FlightDuration { get; set; } = TimeSpan.FromHours(1.5);

    /// <summary>Seed of the flight.</summary>
    public long Seed { get; set; } = 42;

    /// <summary>Faults to inject, in the simulator's <c>KIND:ENGINE[:START]</c> syntax. Default: bearing wear on engine 2 at 45 min.</summary>
    public List<string> Faults { get; set; } = [];

    /// <summary>How many times faster than real time the flight is played. Default 600 (1.5 h in 9 s).</summary>
    [Range(1, 1_000_000)]
    public double Speedup { get; set; } = 600;

    /// <summary>Landings played in a row (0 = one, then the simulated aircraft stays parked).</summary>
    [Range(0, 1000)]
    public int RepeatLandings { get; set; }
}

/// <summary>Local HTTP API and crew page (config section <c>Api</c>).</summary>
public sealed class ApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Api";

    /// <summary>Address Kestrel binds when <see cref="Urls"/> is empty: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// Addresses Kestrel binds; empty means <see cref="DefaultUrl"/>. (No default items here: the
    /// configuration binder appends to a list, so defaults would be bound twice.)
    /// </summary>
    public List<string> Urls { get; set; } = [];

    /// <summary>The addresses to bind.</summary>
    public IReadOnlyList<string> EffectiveUrls => Urls.Count == 0 ? [DefaultUrl] : Urls;

    /// <summary>Key required in the <c>X-Api-Key</c> header for writes (acknowledge, score). Empty: a key is generated at start-up and logged once.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Largest request body accepted.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Requests per second one client may make before getting 429 (token bucket).</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerSecond { get; set; } = 20_000;
}
