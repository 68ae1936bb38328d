using System.Globalization;
using EdgeGateway.ModelLab.Data;

namespace EdgeGateway.ModelLab.Cli;

/// <summary>Entry point of the model lab command line; every command is a static method here or in its area.</summary>
public static class LabCli
{
    private const string Usage = """
        usage: dotnet run --project src/EdgeGateway.ModelLab -- <command> [options]

        commands:
          query      --sql Q.sql [--set k=v]... | --csv F [--sep ,|tab|ws]    run extraction, print a summary
          eda        (data options) --out DIR [--window N]                   exploratory report (Markdown + PNG)
          train rul  [--cmapss DIR] [--out models/rul] [--seed N] [--epochs N]
          train anomaly (data options) --out DIR [--window N] [--train-rows N] [--seed N] [--kind-column COL] [--slice-columns A,B]
          evaluate   --package DIR [(data options)] [--kind-column COL] [--flight-column COL] [--slice-columns A,B] [--out DIR]
          score      --package DIR (data options)                            one line per row: time,score,flag
          keygen     --private-out FILE --public-out FILE
          release    --package DIR --gate GATE.json --key PRIVATE.pem
          reproduce  --package DIR
          verify     --package DIR --trusted DIR

        data options: --csv FILE [--sep ,] | --sql QUERY.sql [--set name=value]...
                      [--time COL] [--channels A,B,C] [--label COL] [--group COL]
        """;

    /// <summary>Runs a command; returns the process exit code (0 ok, 1 gate failed, 2 bad input).</summary>
    public static int Run(IReadOnlyList<string> argv, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            var args = new CliArgs(argv);
            var words = args.Words;
            var command = words.Count > 0 ? words[0] : "help";
            var sub = words.Count > 1 ? words[1] : null;
            return (command, sub) switch
            {
                ("query", _) => Query(args, stdout),
                ("help", _) or ("--help", _) => Help(stdout),
                _ => Commands.Dispatch(command, sub, args, stdout),
            };
        }
        catch (LabException ex)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return 2;
        }
    }

    internal static int Help(TextWriter stdout)
    {
        stdout.WriteLine(Usage);
        return 0;
    }

    private static int Query(CliArgs args, TextWriter stdout)
    {
        var source = DataSource.FromArgs(args);
        var limit = args.GetInt("head", 5);
        args.EnsureAllUsed();
        var (table, roles) = source.Load();
        stdout.WriteLine($"{table.Source}: {table.RowCount} rows, {table.ColumnNames.Count} columns");
        stdout.WriteLine($"roles: time={roles.Time ?? "-"} group={roles.Group ?? "-"} label={roles.Label ?? "-"} channels={string.Join(",", roles.Channels)}");
        stdout.WriteLine(string.Join(",", table.ColumnNames));
        var cols = table.ColumnNames.Select(table.Texts).ToArray();
        for (var r = 0; r < Math.Min(limit, table.RowCount); r++)
        {
            stdout.WriteLine(string.Join(",", cols.Select(c => c[r])));
        }

        return 0;
    }

    internal static string Format(double v, int decimals = 4) => v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
