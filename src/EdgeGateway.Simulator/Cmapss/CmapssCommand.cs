using System.Globalization;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Simulator.Cli;

namespace EdgeGateway.Simulator.Cmapss;

/// <summary>
/// <c>cmapss --data FILE --engine POS:UNIT[:SERIAL] ... --out-dir DIR [--cycles A-B | --cycle N] [--tail REG] [--table FILE] [--start UTC] [--seconds S]</c>:
/// one capture per flight cycle of an aircraft whose engines carry C-MAPSS trajectories.
/// </summary>
public static class CmapssCommand
{
    /// <summary>Default table file name.</summary>
    public const string DefaultTableFileName = "cmapss-demo.json";

    /// <summary>Usage text.</summary>
    public const string Usage = """
        usage: EdgeGateway.Simulator cmapss --data FILE --engine POS:UNIT[:SERIAL] [--engine ...] --out-dir DIR [options]

          --data FILE             C-MAPSS trajectories (e.g. test_FD001.txt)
          --engine POS:UNIT[:SERIAL]  engine position carries trajectory UNIT (serial default 900000 + unit)
          --out-dir DIR           writes DIR/<tail>-c<cycle>.cap, one capture per cycle
          --cycles A-B            cycles to write (default: 1 to the shortest unit's last cycle)
          --cycle N               one cycle only
          --tail REG              aircraft registration (default D-CMPS)
          --table FILE            label table (default: the shipped cmapss-demo.json)
          --start UTC             start of cycle 1 (default 2026-01-01T08:00:00Z); cycle n starts n-1 days later
          --seconds S             flight length (default 240)
        """;

    /// <summary>Runs the command (arguments after <c>cmapss</c>); returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        string? data = null, outDir = null, table = null;
        string tail = "D-CMPS";
        int? first = null, last = null;
        double seconds = CmapssFlight.DefaultDuration.TotalSeconds;
        var start = new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);
        var engines = new List<CmapssEngine>();
        try
        {
            for (int i = 0; i < args.Count; i++)
            {
                string Value() => i + 1 < args.Count ? args[++i] : throw new UsageException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--data": data = Value(); break;
                    case "--out-dir": outDir = Value(); break;
                    case "--table": table = Value(); break;
                    case "--tail": tail = Value(); break;
                    case "--seconds":
                        string sv = Value();
                        if (!double.TryParse(sv, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) || seconds < 30 || seconds > 86_400)
                        {
                            throw new UsageException($"--seconds '{sv}' must be 30..86400");
                        }

                        break;
                    case "--start":
                        string st = Value();
                        if (!DateTimeOffset.TryParse(st, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out start))
                        {
                            throw new UsageException($"--start '{st}' is not a time");
                        }

                        break;
                    case "--cycle":
                        first = last = ParseInt(Value(), "--cycle");
                        break;
                    case "--cycles":
                        var range = Value().Split('-');
                        if (range.Length != 2)
                        {
                            throw new UsageException("--cycles takes A-B");
                        }

                        first = ParseInt(range[0], "--cycles");
                        last = ParseInt(range[1], "--cycles");
                        break;
                    case "--engine":
                        var p = Value().Split(':');
                        if (p.Length is < 2 or > 3)
                        {
                            throw new UsageException("--engine takes POS:UNIT[:SERIAL]");
                        }

                        int unit = ParseInt(p[1], "--engine unit");
                        engines.Add(new CmapssEngine(ParseInt(p[0], "--engine position"), unit, p.Length == 3 ? ParseInt(p[2], "--engine serial") : 900_000 + unit));
                        break;
                    default:
                        throw new UsageException($"unknown option '{args[i]}'");
                }
            }

            if (data is null || outDir is null || engines.Count == 0)
            {
                throw new UsageException("--data, --out-dir and at least one --engine are required");
            }
        }
        catch (UsageException e)
        {
            stderr.WriteLine("error: " + e.Message);
            stderr.WriteLine(Usage);
            return SimulatorCli.ExitUsage;
        }

        try
        {
            var labelTable = LabelTableLoader.Load(table ?? FindDefaultTable() ?? throw new FileNotFoundException($"the shipped label table {DefaultTableFileName} was not found; give --table FILE"));
            var trajectories = CmapssTrajectories.Load(data);
            foreach (var e in engines)
            {
                if (e.Position < 1 || e.Position > labelTable.Info.EngineCount || trajectories.Cycles(e.Unit) == 0)
                {
                    stderr.WriteLine($"error: --engine {e.Position}:{e.Unit}: position must be 1..{labelTable.Info.EngineCount} and the unit must be in {data}");
                    return SimulatorCli.ExitUsage;
                }
            }

            int a = first ?? 1;
            int b = last ?? engines.Min(e => trajectories.Cycles(e.Unit));
            Directory.CreateDirectory(outDir);
            long words = 0;
            for (int cycle = a; cycle <= b; cycle++)
            {
                string path = Path.Combine(outDir, string.Create(CultureInfo.InvariantCulture, $"{tail}-c{cycle:D4}.cap"));
                words += CmapssFlight.WriteCapture(labelTable, trajectories, engines, cycle, tail, start.AddDays(cycle - 1), TimeSpan.FromSeconds(seconds), path);
            }

            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cmapss: cycles {a}-{b} of {string.Join(", ", engines.Select(e => $"ENG{e.Position}=unit {e.Unit}"))}: {b - a + 1} captures, {words} words in {outDir}"));
            return SimulatorCli.ExitOk;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or LabelTableException or UnauthorizedAccessException)
        {
            stderr.WriteLine("error: " + e.Message);
            return SimulatorCli.ExitFailure;
        }
    }

    private static int ParseInt(string s, string what) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : throw new UsageException($"{what} '{s}' is not a whole number");

    private static string? FindDefaultTable()
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
