using System.Text.Json.Serialization;

namespace EdgeGateway.Core.Summaries;

/// <summary>
/// The per-flight summary: what a landing looked like, per engine and parameter, with the data
/// quality of the recording. It is the body of the uplink's <c>summary</c> message; its JSON shape
/// is a contract (see <see cref="CurrentSchemaVersion"/>) documented in
/// <c>firmware-config/flight-summary.md</c>.
/// </summary>
public sealed record FlightSummary
{
    /// <summary>Schema version of this record's JSON form. Bump on any breaking change.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Schema version, always <see cref="CurrentSchemaVersion"/> when written by this build.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Aircraft registration.</summary>
    public required string Tail { get; init; }

    /// <summary>Aircraft type.</summary>
    public required string AircraftType { get; init; }

    /// <summary>Flight identifier.</summary>
    public required string FlightId { get; init; }

    /// <summary>Label table used to decode (name and SHA-256).</summary>
    public required TableReference LabelTable { get; init; }

    /// <summary>Recording start (UTC) as stamped by the adapter side.</summary>
    public required DateTimeOffset StartUtc { get; init; }

    /// <summary>Time from the first to the last word, from adapter timestamps.</summary>
    public required double DurationSeconds { get; init; }

    /// <summary>Words received (good frames).</summary>
    public required long Words { get; init; }

    /// <summary>Per engine, keyed by serial number when the bus told it.</summary>
    public required IReadOnlyList<EngineSummary> Engines { get; init; }

    /// <summary>Aircraft-level channels (no engine position).</summary>
    public required IReadOnlyList<ParameterSummary> Aircraft { get; init; }

    /// <summary>Everything that was wrong with the data.</summary>
    public required DataQuality DataQuality { get; init; }

    /// <summary>
    /// Remarks about how the summary came about, e.g. a landing session cut by a gateway restart and
    /// closed from its recording. Empty for an ordinary landing.
    /// </summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>Name and hash of a label table.</summary>
/// <param name="Name">Table name.</param>
/// <param name="Sha256">SHA-256 of the file, hex.</param>
public sealed record TableReference(string Name, string Sha256);

/// <summary>One engine's part of a flight summary.</summary>
/// <param name="Position">1-based engine position on this aircraft.</param>
/// <param name="Serial">Engine serial number from the bus, or null when it never arrived.</param>
/// <param name="Parameters">Per-parameter statistics in table order.</param>
public sealed record EngineSummary(int Position, string? Serial, IReadOnlyList<ParameterSummary> Parameters);

/// <summary>Statistics of one channel over the flight, on values with normal SSM and in range.</summary>
/// <param name="Parameter">Parameter name.</param>
/// <param name="Unit">Engineering unit.</param>
/// <param name="Count">Values counted.</param>
/// <param name="Min">Smallest value (null when none).</param>
/// <param name="Max">Largest value.</param>
/// <param name="Mean">Mean.</param>
/// <param name="P95">95th percentile, from a fixed 4096-bin histogram over the valid range (so memory does not grow with the flight).</param>
/// <param name="SpikesRemoved">Points the Hampel filter replaced as spikes.</param>
public sealed record ParameterSummary(string Parameter, string Unit, long Count, double? Min, double? Max, double? Mean, double? P95, long SpikesRemoved);

/// <summary>Data-quality counters of a flight. Every bad input is counted here.</summary>
public sealed record DataQuality
{
    /// <summary>Frames with a good checksum.</summary>
    public long FramesGood { get; init; }

    /// <summary>Runs of bytes skipped while resynchronising.</summary>
    public long BadByteRuns { get; init; }

    /// <summary>Bytes skipped in total.</summary>
    public long BadBytes { get; init; }

    /// <summary>Frames whose checksum failed.</summary>
    public long ChecksumFailures { get; init; }

    /// <summary>True when the recording ended in the middle of a frame.</summary>
    public bool Truncated { get; init; }

    /// <summary>Frames the adapter flagged with a FIFO overflow (words were lost before them).</summary>
    public long AdapterOverflows { get; init; }

    /// <summary>Words with bad parity.</summary>
    public long ParityErrors { get; init; }

    /// <summary>Words whose label/SDI is not in the table.</summary>
    public long UnknownLabelWords { get; init; }

    /// <summary>The distinct unknown labels (octal, with SDI), at most 64 listed.</summary>
    public IReadOnlyList<string> UnknownLabels { get; init; } = [];

    /// <summary>Words with SSM No Computed Data.</summary>
    public long NoComputedData { get; init; }

    /// <summary>Words with SSM Failure Warning.</summary>
    public long FailureWarnings { get; init; }

    /// <summary>Words with SSM Functional Test.</summary>
    public long FunctionalTests { get; init; }

    /// <summary>Values outside the table's valid range.</summary>
    public long OutOfRange { get; init; }

    /// <summary>BCD words with a digit above 9.</summary>
    public long MalformedBcd { get; init; }

    /// <summary>Timestamps that went backwards.</summary>
    public long ClockJumps { get; init; }

    /// <summary>Times a label was not seen within its staleness timeout (each gap counts once).</summary>
    public long StaleEvents { get; init; }

    /// <summary>Per-channel gaps longer than the staleness timeout.</summary>
    public IReadOnlyList<GapReport> Gaps { get; init; } = [];

    /// <summary>Channels of the table never seen with a valid value.</summary>
    public IReadOnlyList<string> MissingChannels { get; init; } = [];

    /// <summary>True when nothing at all is wrong.</summary>
    [JsonIgnore]
    public bool IsClean => BadByteRuns == 0 && ChecksumFailures == 0 && !Truncated && ParityErrors == 0 && UnknownLabelWords == 0
        && NoComputedData == 0 && FailureWarnings == 0 && FunctionalTests == 0 && OutOfRange == 0 && MalformedBcd == 0
        && ClockJumps == 0 && StaleEvents == 0 && MissingChannels.Count == 0 && AdapterOverflows == 0;
}

/// <summary>Gaps of one channel.</summary>
/// <param name="Channel">"ENG1 N1" style name.</param>
/// <param name="Count">Gaps longer than the staleness timeout.</param>
/// <param name="LongestSeconds">Longest gap.</param>
public sealed record GapReport(string Channel, long Count, double LongestSeconds);
