using System.Globalization;
using System.Text;
using EdgeGateway.Bus;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Simulator.Flights;

namespace EdgeGateway.Simulator.Output;

/// <summary>Writes a generated flight to files: the capture, its labels beside it, optionally the samples CSV.</summary>
public static class FlightFiles
{
    /// <summary>File name of the shipped label table.</summary>
    public const string DefaultTableFileName = "a320-cfm56-5b.json";

    /// <summary>Adapter model named in capture headers written by the simulator.</summary>
    public const string AdapterModel = "EdgeGateway.Simulator";

    /// <summary>Adapter firmware named in capture headers (the simulator's output format revision).</summary>
    public const string AdapterFirmware = "sim-1";

    /// <summary>
    /// Generates the flight into a capture at <paramref name="capturePath"/>, writes its labels to
    /// <paramref name="labelsPath"/> (default <c>capturePath.labels.json</c>) and, when asked, the samples CSV.
    /// </summary>
    /// <exception cref="FlightOptionsException">The options break a rule.</exception>
    public static FlightLabels WriteCapture(
        LabelTable table,
        FlightOptions options,
        string capturePath,
        string? samplesCsvPath = null,
        string? labelsPath = null,
        IReadOnlyList<string>? args = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        var generator = new FlightGenerator(table, options);
        var header = CreateHeader(table, options, generator);
        FlightLabels labels;
        using (var sink = new CaptureWordSink(CaptureWriter.Create(capturePath, header)))
        {
            labels = RunWithSamples(generator, sink, samplesCsvPath, args);
        }

        labels.Save(labelsPath ?? FlightLabels.PathFor(capturePath));
        return labels;
    }

    /// <summary>Runs <paramref name="generator"/> into <paramref name="sink"/>, writing the samples CSV when a path is given.</summary>
    public static FlightLabels RunWithSamples(FlightGenerator generator, IWordSink sink, string? samplesCsvPath, IReadOnlyList<string>? args = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (samplesCsvPath is null)
        {
            return generator.Run(sink, null, args);
        }

        using var csv = new StreamWriter(samplesCsvPath, append: false, new UTF8Encoding(false), bufferSize: 1 << 16);
        return generator.Run(sink, csv, args);
    }

    /// <summary>The capture header for a simulated flight: aircraft, table, simulated adapter, seed and faults in the metadata.</summary>
    public static CaptureHeader CreateHeader(LabelTable table, FlightOptions options, FlightGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        var metadata = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["simulator.seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
            ["simulator.hours"] = options.Duration.TotalHours.ToString("R", CultureInfo.InvariantCulture),
            ["simulator.faults"] = string.Join(' ', options.Faults.Select(f => f.ToString())),
            ["simulator.buses"] = options.Buses == BusLayout.PerEngine ? "per-engine" : "shared",
            ["simulator.engineSerials"] = string.Join(' ', generator.EngineSerials.Select(s => s.ToString("D6", CultureInfo.InvariantCulture))),
        };
        return new CaptureHeader(
            options.TailNumber,
            $"{table.Info.AircraftType} {table.Info.EngineType}",
            options.EffectiveFlightId,
            Path.GetFileName(table.Info.SourceFile),
            table.Info.Sha256,
            AdapterModel,
            AdapterFirmware,
            options.StartUtc)
        {
            Metadata = metadata,
        };
    }

    /// <summary>
    /// Finds the shipped A320 table: beside the application (<c>label-tables/</c>, copied at
    /// build), else in <c>firmware-config/label-tables/</c> of a folder above the application or
    /// above the current directory. Null when none is found.
    /// </summary>
    public static string? FindDefaultTable()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "label-tables", DefaultTableFileName);
        if (File.Exists(beside))
        {
            return beside;
        }

        foreach (string start in (ReadOnlySpan<string>)[AppContext.BaseDirectory, Directory.GetCurrentDirectory()])
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "firmware-config", "label-tables", DefaultTableFileName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
