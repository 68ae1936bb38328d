using EdgeGateway.ModelLab.Data;
using EdgeGateway.ModelLab.Packaging;

namespace EdgeGateway.ModelLab.Cli;

/// <summary>Routes command words to their implementation.</summary>
internal static class Commands
{
    public static int Dispatch(string command, string? sub, CliArgs args, TextWriter stdout) => (command, sub) switch
    {
        ("train", "rul") => Rul.RulCommand.Train(args, stdout),
        ("train", "anomaly") => Anomaly.AnomalyCommand.Train(args, stdout),
        ("eda", _) => Eda(args, stdout),
        ("evaluate", _) => Evaluate(args, stdout),
        ("score", _) => Score(args, stdout),
        ("keygen", _) => PackageCommands.Keygen(args, stdout),
        ("release", _) => PackageCommands.Release(args, stdout),
        ("verify", _) => PackageCommands.Verify(args, stdout),
        ("reproduce", _) => PackageCommands.Reproduce(args, stdout),
        _ => throw new LabException($"unknown command '{command}{(sub is null ? string.Empty : " " + sub)}'; run 'help' for the list"),
    };

    private static int Eda(CliArgs args, TextWriter stdout)
    {
        var source = DataSource.FromArgs(args);
        var outDir = args.Require("out");
        args.EnsureAllUsed();
        var (table, roles) = source.Load();
        var path = Reports.EdaReport.Write(table, roles, outDir);
        stdout.WriteLine($"report: {path}");
        return 0;
    }

    private static int Evaluate(CliArgs args, TextWriter stdout)
    {
        var package = args.Require("package");
        var manifest = PackageReader.ReadManifest(package);
        if (manifest.Kind == "rul")
        {
            var o = Rul.RulCommand.Parse(args);
            args.EnsureAllUsed();
            var r = Rul.RulCommand.EvaluatePackage(package, o, stdout);
            foreach (var m in r.Metrics)
            {
                stdout.WriteLine($"{m.Name} = {m.Value:F3}");
            }

            stdout.WriteLine($"report: {Path.Combine(package, "report", "evaluation.md")}");
            return 0;
        }

        var source = DataSource.FromArgs(args);
        var kind = args.Get("kind-column");
        var flight = args.Get("flight-column");
        var slices = args.GetList("slice-columns");
        var outDir = args.Get("out", Path.Combine(package, "report"))!;
        args.EnsureAllUsed();
        return Anomaly.AnomalyCommand.Evaluate(package, manifest, source, kind, outDir, stdout, flight, slices);
    }

    private static int Score(CliArgs args, TextWriter stdout)
    {
        var package = args.Require("package");
        var role = args.Get("model", "fp32")!;
        var source = DataSource.FromArgs(args);
        args.EnsureAllUsed();
        var manifest = PackageReader.ReadManifest(package);
        var ds = PackageScorer.LoadFor(manifest, source);
        var scores = PackageScorer.ScoreRows(package, manifest, ds, role);
        var flags = manifest.Decision is { } d ? Anomaly.AnomalyEvaluation.Flags(ds, scores, d, manifest.Input.WindowLength) : new bool[ds.RowCount];
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        stdout.WriteLine(ds.Roles.Group is null ? "time,score,flag" : "group,time,score,flag");
        for (var r = 0; r < ds.RowCount; r++)
        {
            var s = double.IsNaN(scores[r]) ? string.Empty : scores[r].ToString("G6", inv);
            var prefix = ds.Roles.Group is null ? string.Empty : ds.Groups[r] + ",";
            stdout.WriteLine($"{prefix}{ds.Time[r].ToString("R", inv)},{s},{(flags[r] ? 1 : 0)}");
        }

        return 0;
    }
}
