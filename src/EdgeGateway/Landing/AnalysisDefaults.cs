using EdgeGateway.Core.Arinc;
using EdgeGateway.Core.Exceedances;
using EdgeGateway.Inference;
using EdgeGateway.Inference.Packages;
using EdgeGateway.Inference.Rul;

namespace EdgeGateway.Landing;

/// <summary>Where a landing's analysis finds its models, keys, limits and history, and how it is built from them.</summary>
public sealed class AnalysisPaths
{
    /// <summary>Model package folder (<c>--models</c>); default <c>models/</c> beside the application or in a folder above it or above the working directory.</summary>
    public string? Models { get; set; }

    /// <summary>Trusted public keys (<c>--trusted-keys</c>); default <c>firmware-config/trusted-keys/</c>, found the same way.</summary>
    public string? TrustedKeys { get; set; }

    /// <summary>Exceedance limits folder (<c>--limits</c>); default <c>firmware-config/exceedance-limits/</c>, found the same way.</summary>
    public string? Limits { get; set; }

    /// <summary>Engine history database (<c>--history</c>); none by default (no snapshots are stored, no RUL).</summary>
    public string? History { get; set; }

    /// <summary>Inference settings.</summary>
    public InferenceOptions Options { get; set; } = new();

    /// <summary>Reads one analysis option at <paramref name="i"/>; false when the argument is not one.</summary>
    public bool TryParse(string[] args, ref int i)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (i + 1 >= args.Length)
        {
            return false;
        }

        switch (args[i])
        {
            case "--models": Models = args[++i]; return true;
            case "--trusted-keys": TrustedKeys = args[++i]; return true;
            case "--limits": Limits = args[++i]; return true;
            case "--history": History = args[++i]; return true;
            default: return false;
        }
    }

    /// <summary>
    /// Loads what the paths name: the model set (verified, self-tested; a refused or missing package
    /// means degraded mode, never a failure), the limits of the table's engine type, the history.
    /// </summary>
    /// <exception cref="InvalidDataException">A limits file is malformed (a config error).</exception>
    public AnalysisSetup Build(LabelTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        string models = Models ?? Find("models") ?? "models";
        string keys = TrustedKeys ?? Find(Path.Combine("firmware-config", "trusted-keys")) ?? Path.Combine("firmware-config", "trusted-keys");
        string limits = Limits ?? Find(Path.Combine("firmware-config", "exceedance-limits")) ?? Path.Combine("firmware-config", "exceedance-limits");
        return new AnalysisSetup
        {
            Models = ModelSet.Load(models, keys, Options),
            Limits = ExceedanceLimitSet.Find(limits, table.Info.EngineType),
            History = History is null ? null : new EngineHistory(History),
            Options = Options,
        };
    }

    private static string? Find(string relative)
    {
        foreach (string start in (ReadOnlySpan<string>)[AppContext.BaseDirectory, Directory.GetCurrentDirectory()])
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, relative);
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
