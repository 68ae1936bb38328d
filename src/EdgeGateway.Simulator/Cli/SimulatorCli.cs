using System.Diagnostics;
using System.Globalization;
using System.IO.Ports;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Simulator.Flights;
using EdgeGateway.Simulator.Output;

namespace EdgeGateway.Simulator.Cli;

/// <summary>The simulator's command line. Exit codes: 0 done, 1 runtime failure (file or port), 2 usage.</summary>
public static class SimulatorCli
{
    /// <summary>Success.</summary>
    public const int ExitOk = 0;

    /// <summary>The flight could not be written (file, port).</summary>
    public const int ExitFailure = 1;

    /// <summary>Bad command line or options.</summary>
    public const int ExitUsage = 2;

    /// <summary>Usage text.</summary>
    public const string Usage = """
        usage: EdgeGateway.Simulator flight --hours H [options] (--out FILE | --serial PORT [--realtime])

          --hours H               flight length in hours (taxi-out to end of taxi-in; cruise stretches)
          --seed S                seed (default 1); same seed and arguments give identical output
          --fault KIND:ENGINE[:START[:PARAMETER]]
                                  inject a fault (repeatable). KIND: bearing-wear, oil-leak,
                                  egt-margin-loss, sensor-stuck, sensor-drift, sensor-dropout,
                                  sensor-noise-burst. START: 2h, 90m, 45s, or a fraction such as 0.5
                                  (default: drawn from the seed in 35%..65% of the flight).
                                  PARAMETER (sensor faults, bearing wear): N1, N2, EGT, FuelFlow,
                                  OilPressure, OilTemperature, OilQuantity, N1Vibration, N2Vibration
          --out FILE              write a capture; labels go to FILE.labels.json
          --serial PORT           play the flight as adapter frames on a serial port (or pty)
          --realtime              with --serial: at the bus's real word rate (default: full speed)
          --baud N                serial line speed (default 921600)
          --table FILE            label table (default: the shipped a320-cfm56-5b.json)
          --tail REG              aircraft registration (default D-AISM; also picks the engine serials)
          --flight ID             flight identifier (default SIM-<seed>)
          --start UTC             time of the first word (default 2026-01-01T08:00:00Z)
          --esn ENGINE:SERIAL     engine serial number, six digits (repeatable; default from --tail)
          --turbulence N          turbulence encounters per cruise hour (default 2; 0 = none)
          --samples-out FILE.csv  1 Hz samples per engine with labels, for model training
          --labels-out FILE       labels file (default FILE.labels.json with --out; none with --serial)
          --single-bus            both engines on adapter channel 0 (default: engine N on channel N-1)
          --high-speed            100 kbit/s buses (default 12.5 kbit/s)
          --quiet                 no summary line on stderr
        """;

    /// <summary>Runs the command line; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Count == 0 || args[0] is "--help" or "-h" or "help")
        {
            (args.Count == 0 ? stderr : stdout).WriteLine(Usage);
            return args.Count == 0 ? ExitUsage : ExitOk;
        }

        if (args[0] != "flight")
        {
            stderr.WriteLine($"error: unknown command '{args[0]}' (known: flight)");
            stderr.WriteLine(Usage);
            return ExitUsage;
        }

        FlightCommand command;
        LabelTable table;
        FlightGenerator generator;
        try
        {
            command = FlightCommand.Parse([.. args.Skip(1)]) with { Args = [.. args] };
            string tablePath = command.TablePath ?? FlightFiles.FindDefaultTable()
                ?? throw new UsageException($"the shipped label table {FlightFiles.DefaultTableFileName} was not found; give --table FILE");
            if (!File.Exists(tablePath))
            {
                throw new UsageException($"--table '{tablePath}': file not found");
            }

            table = LabelTableLoader.Load(tablePath);
            generator = new FlightGenerator(table, command.Options);
        }
        catch (UsageException e)
        {
            stderr.WriteLine("error: " + e.Message);
            return ExitUsage;
        }
        catch (LabelTableException e)
        {
            stderr.WriteLine("error: " + e.Message);
            return ExitUsage;
        }
        catch (FlightOptionsException e)
        {
            foreach (string p in e.Problems)
            {
                stderr.WriteLine("error: " + p);
            }

            return ExitUsage;
        }

        var watch = Stopwatch.StartNew();
        FlightLabels labels;
        try
        {
            labels = command.OutPath is { } outPath
                ? FlightFiles.WriteCapture(table, command.Options, outPath, command.SamplesPath, command.LabelsPath, command.Args)
                : PlaySerial(command, generator);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            string target = command.OutPath is { } o ? $"writing {o}" : $"serial port {command.SerialPort}";
            stderr.WriteLine($"error: {target}: {e.Message}");
            return ExitFailure;
        }

        if (!command.Quiet)
        {
            stderr.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"flight {labels.FlightId}: {labels.DurationSeconds / 3600:0.###} h, {labels.Words} words, {labels.Faults.Count} faults, {labels.Turbulence.Count} turbulence encounters, {watch.Elapsed.TotalSeconds:0.00} s"));
        }

        return ExitOk;
    }

    private static FlightLabels PlaySerial(FlightCommand command, FlightGenerator generator)
    {
        if (command.SerialPort!.StartsWith('/') && !File.Exists(command.SerialPort))
        {
            throw new IOException("the port does not exist (unplugged, or a pty that is not open)");
        }

        // Modem lines and parity are left at their defaults: a pty rejects changes to them.
        using var port = new SerialPort(command.SerialPort!, command.BaudRate) { WriteTimeout = SerialPort.InfiniteTimeout };
        port.Open();
        IWordSink sink = new FrameWordSink(port.BaseStream);
        if (command.Realtime)
        {
            sink = new PacedWordSink(sink);
        }

        var labels = FlightFiles.RunWithSamples(generator, sink, command.SamplesPath, command.Args);
        if (command.LabelsPath is { } path)
        {
            labels.Save(path);
        }

        return labels;
    }
}
