using System.Diagnostics.CodeAnalysis;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Landing;

namespace EdgeGateway.Cli;

/// <summary>Loading shared by the commands: the label table and the analysis (models, limits, history), each failure one clear line.</summary>
internal static class CommandSetup
{
    /// <summary>Loads the label table; on failure writes every problem and returns false.</summary>
    public static bool TryLoadTable(string path, TextWriter error, [NotNullWhen(true)] out LabelTable? table)
    {
        try
        {
            table = LabelTableLoader.Load(path);
            return true;
        }
        catch (LabelTableException e)
        {
            error.WriteLine(e.Message);
            table = null;
            return false;
        }
    }

    /// <summary>Builds the analysis; on failure writes "<paramref name="command"/>: reason" and returns false.</summary>
    public static bool TryBuildAnalysis(string command, AnalysisPaths paths, LabelTable table, TextWriter error, [NotNullWhen(true)] out AnalysisSetup? setup)
    {
        try
        {
            setup = paths.Build(table);
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            error.WriteLine($"{command}: {e.Message}");
            setup = null;
            return false;
        }
    }
}
