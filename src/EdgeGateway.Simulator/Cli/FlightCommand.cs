using System.Globalization;
using EdgeGateway.Simulator.Flights;

namespace EdgeGateway.Simulator.Cli;

/// <summary>The parsed <c>flight</c> command.</summary>
internal sealed record FlightCommand
{
    public const int DefaultBaudRate = 921_600;

    public required FlightOptions Options { get; init; }

    public string? OutPath { get; init; }

    public string? SerialPort { get; init; }

    public bool Realtime { get; init; }

    public int BaudRate { get; init; } = DefaultBaudRate;

    public string? TablePath { get; init; }

    public string? SamplesPath { get; init; }

    public string? LabelsPath { get; init; }

    public bool Quiet { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Parses the arguments after <c>flight</c>.</summary>
    /// <exception cref="UsageException">An argument is missing, unknown or malformed.</exception>
    public static FlightCommand Parse(IReadOnlyList<string> args)
    {
        double? hours = null;
        long seed = 1;
        var faults = new List<FaultSpec>();
        string? outPath = null, serial = null, table = null, samples = null, labels = null, tail = null, flight = null;
        bool realtime = false, quiet = false, singleBus = false, highSpeed = false;
        int baud = DefaultBaudRate;
        double turbulence = 2;
        DateTimeOffset start = FlightOptions.DefaultStartUtc;
        var serials = new SortedDictionary<int, int>();

        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            switch (a)
            {
                case "--hours":
                    string h = Value(args, ref i);
                    if (!double.TryParse(h, NumberStyles.Float, CultureInfo.InvariantCulture, out double hv) || !double.IsFinite(hv) || hv <= 0)
                    {
                        throw new UsageException($"--hours '{h}' is not a positive number of hours");
                    }

                    hours = hv;
                    break;
                case "--seed":
                    string s = Value(args, ref i);
                    if (!long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seed))
                    {
                        throw new UsageException($"--seed '{s}' is not an integer");
                    }

                    break;
                case "--fault":
                    string f = Value(args, ref i);
                    if (!FaultSpec.TryParse(f, out var spec, out string error))
                    {
                        throw new UsageException(error);
                    }

                    faults.Add(spec!);
                    break;
                case "--out":
                    outPath = Value(args, ref i);
                    break;
                case "--serial":
                    serial = Value(args, ref i);
                    break;
                case "--realtime":
                    realtime = true;
                    break;
                case "--baud":
                    string b = Value(args, ref i);
                    if (!int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out baud) || baud is < 50 or > 16_000_000)
                    {
                        throw new UsageException($"--baud '{b}' is not a baud rate in 50..16000000");
                    }

                    break;
                case "--table":
                    table = Value(args, ref i);
                    break;
                case "--tail":
                    tail = Value(args, ref i);
                    break;
                case "--flight":
                    flight = Value(args, ref i);
                    break;
                case "--start":
                    string st = Value(args, ref i);
                    if (!DateTimeOffset.TryParse(st, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out start))
                    {
                        throw new UsageException($"--start '{st}' is not a date and time (use e.g. 2026-01-01T08:00:00Z)");
                    }

                    break;
                case "--samples-out":
                    samples = Value(args, ref i);
                    break;
                case "--labels-out":
                    labels = Value(args, ref i);
                    break;
                case "--turbulence":
                    string tu = Value(args, ref i);
                    if (!double.TryParse(tu, NumberStyles.Float, CultureInfo.InvariantCulture, out turbulence) || !double.IsFinite(turbulence) || turbulence < 0)
                    {
                        throw new UsageException($"--turbulence '{tu}' is not a rate per hour (0 or more)");
                    }

                    break;
                case "--esn":
                    string e = Value(args, ref i);
                    string[] parts = e.Split(':');
                    if (parts.Length != 2
                        || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int position) || position < 1
                        || parts[1].Length != 6
                        || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int number))
                    {
                        throw new UsageException($"--esn '{e}' is not ENGINE:SERIAL with a six-digit serial, e.g. 1:577123");
                    }

                    serials[position] = number;
                    break;
                case "--single-bus":
                    singleBus = true;
                    break;
                case "--high-speed":
                    highSpeed = true;
                    break;
                case "--quiet":
                    quiet = true;
                    break;
                default:
                    throw new UsageException($"unknown argument '{a}'");
            }
        }

        if (hours is null)
        {
            throw new UsageException("--hours H is required");
        }

        if ((outPath is null) == (serial is null))
        {
            throw new UsageException("give exactly one of --out FILE or --serial PORT");
        }

        if (realtime && serial is null)
        {
            throw new UsageException("--realtime paces a serial port; it needs --serial PORT");
        }

        var duration = TimeSpan.FromHours(hours.Value);
        if (duration < FlightOptions.MinDuration || duration > FlightOptions.MaxDuration)
        {
            throw new UsageException($"--hours {hours.Value.ToString(CultureInfo.InvariantCulture)} is outside {FlightOptions.MinDuration.TotalHours.ToString("0.###", CultureInfo.InvariantCulture)}..{FlightOptions.MaxDuration.TotalHours.ToString(CultureInfo.InvariantCulture)}");
        }

        IReadOnlyList<int>? engineSerials = null;
        if (serials.Count > 0)
        {
            int max = serials.Keys.Max();
            if (serials.Count != max)
            {
                throw new UsageException($"--esn: give a serial number for every engine 1..{max}");
            }

            engineSerials = [.. serials.Values];
        }

        var options = new FlightOptions
        {
            Seed = seed,
            Duration = duration,
            StartUtc = start,
            TailNumber = tail ?? "D-AISM",
            FlightId = flight,
            EngineSerials = engineSerials,
            Faults = faults,
            TurbulencePerHour = turbulence,
            Buses = singleBus ? BusLayout.Shared : BusLayout.PerEngine,
            Speed = highSpeed ? BusSpeed.High : BusSpeed.Low,
        };

        return new FlightCommand
        {
            Options = options,
            OutPath = outPath,
            SerialPort = serial,
            Realtime = realtime,
            BaudRate = baud,
            TablePath = table,
            SamplesPath = samples,
            LabelsPath = labels ?? (outPath is null ? null : FlightLabels.PathFor(outPath)),
            Quiet = quiet,
            Args = [.. args],
        };
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException($"{args[i]} needs a value");
        }

        i++;
        return args[i];
    }
}
