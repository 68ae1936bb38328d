using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeGateway.Simulator.Flights;

/// <summary>
/// Ground truth of a generated flight, written as <c>FILE.labels.json</c> beside the capture
/// (format version <see cref="CurrentFormatVersion"/>, described in the simulator's README).
/// Times are seconds from the first word of the flight; the adapter timestamp of a time t is
/// <see cref="TimestampOffsetMicros"/> + t x 1,000,000.
/// </summary>
/// <param name="FormatVersion">Labels format version.</param>
/// <param name="Generator">Always <c>EdgeGateway.Simulator</c>.</param>
/// <param name="Seed">Seed of the flight.</param>
/// <param name="Args">Command-line arguments that produced it (empty when generated through the API).</param>
/// <param name="TailNumber">Aircraft registration.</param>
/// <param name="FlightId">Flight identifier.</param>
/// <param name="AircraftType">Aircraft type from the label table.</param>
/// <param name="EngineType">Engine type from the label table.</param>
/// <param name="LabelTable">Label table name.</param>
/// <param name="LabelTableSha256">SHA-256 of the label table file.</param>
/// <param name="StartUtc">Wall-clock time of the first word.</param>
/// <param name="DurationSeconds">Flight length.</param>
/// <param name="TimestampOffsetMicros">Adapter clock at time 0.</param>
/// <param name="Buses">Bus layout: <c>per-engine</c> or <c>shared</c>.</param>
/// <param name="BusSpeed">Bus speed: <c>low</c> or <c>high</c>.</param>
/// <param name="TurbulencePerHour">Turbulence rate option.</param>
/// <param name="Words">Number of words generated.</param>
/// <param name="Engines">Engines with serial numbers and adapter channels.</param>
/// <param name="Phases">Flight phases in order.</param>
/// <param name="Faults">Injected faults.</param>
/// <param name="Turbulence">Turbulence encounters (not faults).</param>
public sealed record FlightLabels(
    int FormatVersion,
    string Generator,
    long Seed,
    IReadOnlyList<string> Args,
    string TailNumber,
    string FlightId,
    string AircraftType,
    string EngineType,
    string LabelTable,
    string LabelTableSha256,
    DateTimeOffset StartUtc,
    double DurationSeconds,
    ulong TimestampOffsetMicros,
    string Buses,
    string BusSpeed,
    double TurbulencePerHour,
    long Words,
    IReadOnlyList<EngineLabel> Engines,
    IReadOnlyList<PhaseLabel> Phases,
    IReadOnlyList<FaultLabel> Faults,
    IReadOnlyList<TurbulenceLabel> Turbulence)
{
    /// <summary>The labels format version this code writes.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Writes the labels as indented JSON (UTF-8, deterministic).</summary>
    public void Save(Stream stream) => JsonSerializer.Serialize(stream, this, FlightLabelsJsonContext.Default.FlightLabels);

    /// <summary>Writes the labels to <paramref name="path"/>.</summary>
    public void Save(string path)
    {
        using var fs = File.Create(path);
        Save(fs);
    }

    /// <summary>Reads labels written by <see cref="Save(Stream)"/>.</summary>
    /// <exception cref="JsonException">Not a labels file.</exception>
    public static FlightLabels Load(string path)
    {
        using var fs = File.OpenRead(path);
        return JsonSerializer.Deserialize(fs, FlightLabelsJsonContext.Default.FlightLabels)
            ?? throw new JsonException($"{path}: empty labels file");
    }

    /// <summary>The labels file path that goes with an output file: <c>FILE.labels.json</c>.</summary>
    public static string PathFor(string outputPath) => outputPath + ".labels.json";
}

/// <summary>An engine of the flight.</summary>
/// <param name="Position">Engine position, 1-based.</param>
/// <param name="Serial">Engine serial number, six digits.</param>
/// <param name="AdapterChannel">Adapter channel its bus is on.</param>
/// <param name="Condition">Its deterioration (all zero for a new engine).</param>
public sealed record EngineLabel(int Position, string Serial, int AdapterChannel, EngineCondition Condition);

/// <summary>A flight phase.</summary>
/// <param name="Name">Phase name (<c>taxi-out</c>, <c>take-off</c>, <c>climb</c>, <c>cruise</c>, <c>descent</c>, <c>landing</c>, <c>taxi-in</c>).</param>
/// <param name="StartSeconds">Start.</param>
/// <param name="EndSeconds">End (exclusive).</param>
/// <param name="StartUtc">Start as wall-clock time.</param>
/// <param name="EndUtc">End as wall-clock time.</param>
public sealed record PhaseLabel(string Name, double StartSeconds, double EndSeconds, DateTimeOffset StartUtc, DateTimeOffset EndUtc);

/// <summary>An injected fault. Its effect on <see cref="Parameters"/> begins at <see cref="StartSeconds"/> and nothing changes before.</summary>
/// <param name="Kind">Fault kind name (e.g. <c>bearing-wear</c>).</param>
/// <param name="Engine">Engine position.</param>
/// <param name="Serial">Serial number of that engine.</param>
/// <param name="SensorFault">True for sensor faults (the engine is healthy, its reading is not).</param>
/// <param name="Parameters">Parameters whose values the fault changes.</param>
/// <param name="StartSeconds">Onset.</param>
/// <param name="EndSeconds">End (the flight's end for faults that persist).</param>
/// <param name="StartUtc">Onset as wall-clock time.</param>
/// <param name="EndUtc">End as wall-clock time.</param>
/// <param name="Requested">The request in canonical form, e.g. <c>bearing-wear:2:7200s</c> (a start left to the seed is omitted).</param>
/// <param name="Settings">Magnitudes (rates, offsets) of the fault, by name, sorted.</param>
public sealed record FaultLabel(
    string Kind,
    int Engine,
    string Serial,
    bool SensorFault,
    IReadOnlyList<string> Parameters,
    double StartSeconds,
    double EndSeconds,
    DateTimeOffset StartUtc,
    DateTimeOffset EndUtc,
    string Requested,
    SortedDictionary<string, double> Settings);

/// <summary>A turbulence encounter: short aircraft-wide spikes, mostly on vibration. Not a fault.</summary>
/// <param name="StartSeconds">Start.</param>
/// <param name="EndSeconds">End: no spike starts in the last 2 s, so the disturbance has died away by then.</param>
/// <param name="Intensity">0..1 scale of the spikes.</param>
/// <param name="Phase">Phase it began in.</param>
/// <param name="Parameters">Parameters it disturbs, on every engine.</param>
public sealed record TurbulenceLabel(double StartSeconds, double EndSeconds, double Intensity, string Phase, IReadOnlyList<string> Parameters);

/// <summary>Source-generated JSON for <see cref="FlightLabels"/>.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(FlightLabels))]
internal sealed partial class FlightLabelsJsonContext : JsonSerializerContext;
