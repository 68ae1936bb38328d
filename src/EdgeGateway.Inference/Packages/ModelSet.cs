namespace EdgeGateway.Inference.Packages;

/// <summary>What happened to one package folder at the last load.</summary>
/// <param name="Folder">Package folder.</param>
/// <param name="Kind">Manifest kind when readable, else null.</param>
/// <param name="Loaded">True when the package is the one in use for its kind.</param>
/// <param name="Message">"ok", or why it was refused or not used.</param>
public sealed record PackageStatus(string Folder, string? Kind, bool Loaded, string Message);

/// <summary>
/// The model packages in use: at most one per kind (<see cref="ModelKinds"/>), each verified and
/// self-tested by <see cref="ModelPackage.Load"/>. <see cref="Reload"/> replaces a kind's package
/// only with one that passes every check; a refused package leaves the last good one running. With
/// no package at all the set is degraded: exceedance checks still run, and <see cref="StatusLine"/>
/// says so.
/// </summary>
public sealed class ModelSet : IDisposable
{
    private readonly InferenceOptions _options;
    private readonly Dictionary<string, ModelPackage> _current = new(StringComparer.Ordinal);
    private List<PackageStatus> _statuses = [];

    /// <summary>Creates an empty (degraded) set.</summary>
    public ModelSet(InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>Options the packages were loaded with.</summary>
    public InferenceOptions Options => _options;

    /// <summary>The anomaly package in use, or null.</summary>
    public ModelPackage? Anomaly => _current.GetValueOrDefault(ModelKinds.Anomaly);

    /// <summary>The RUL package in use, or null.</summary>
    public ModelPackage? Rul => _current.GetValueOrDefault(ModelKinds.Rul);

    /// <summary>True when no model is loaded: exceedances only.</summary>
    public bool Degraded => _current.Count == 0;

    /// <summary>Per folder, what the last <see cref="Reload"/> did.</summary>
    public IReadOnlyList<PackageStatus> Statuses => _statuses;

    /// <summary>One line for a person: the packages in use, or the degraded mode.</summary>
    public string StatusLine => Degraded
        ? "degraded: no model package loaded; exceedance checks only"
        : string.Join("; ", _current.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value.Id}"));

    /// <summary>Loads the packages under <paramref name="modelsFolder"/> (see <see cref="Reload"/>).</summary>
    public static ModelSet Load(string modelsFolder, string trustedKeysFolder, InferenceOptions options)
    {
        var set = new ModelSet(options);
        set.Reload(modelsFolder, trustedKeysFolder);
        return set;
    }

    /// <summary>
    /// Scans <paramref name="modelsFolder"/>: the folder itself when it holds a <c>manifest.json</c>,
    /// else each sub-folder that does (ordinal order). The first package of a kind that passes every
    /// check replaces the one in use; when none passes, the one in use stays. Keys are the
    /// <c>*.pem</c> files of <paramref name="trustedKeysFolder"/>.
    /// </summary>
    public void Reload(string modelsFolder, string trustedKeysFolder)
    {
        ArgumentNullException.ThrowIfNull(modelsFolder);
        ArgumentNullException.ThrowIfNull(trustedKeysFolder);
        var statuses = new List<PackageStatus>();
        var keys = Directory.Exists(trustedKeysFolder) ? Directory.GetFiles(trustedKeysFolder, "*.pem").Order(StringComparer.Ordinal).ToArray() : [];
        var folders = new List<string>();
        if (File.Exists(Path.Combine(modelsFolder, Core.Models.PackageSignature.ManifestFileName)))
        {
            folders.Add(modelsFolder);
        }
        else if (Directory.Exists(modelsFolder))
        {
            folders.AddRange(Directory.GetDirectories(modelsFolder).Order(StringComparer.Ordinal)
                .Where(d => File.Exists(Path.Combine(d, Core.Models.PackageSignature.ManifestFileName))));
        }

        var fresh = new Dictionary<string, ModelPackage>(StringComparer.Ordinal);
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var package = ModelPackage.Load(folder, keys, _options, out string reason);
            string? kind = package?.Manifest.Kind ?? PeekKind(folder);
            if (package is null)
            {
                statuses.Add(new PackageStatus(folder, kind, false, keys.Length == 0 ? $"refused: {reason} (no trusted keys in {trustedKeysFolder})" : "refused: " + reason));
                if (kind is not null)
                {
                    refused.TryAdd(kind, reason);
                }

                continue;
            }

            if (fresh.TryGetValue(package.Manifest.Kind, out var serving))
            {
                statuses.Add(new PackageStatus(folder, kind, false, $"not used: {serving.Id} already serves {kind}"));
                package.Dispose();
                continue;
            }

            fresh[package.Manifest.Kind] = package;
            statuses.Add(new PackageStatus(folder, kind, true, "ok"));
        }

        foreach (var (kind, package) in fresh)
        {
            if (_current.Remove(kind, out var old))
            {
                old.Dispose();
            }

            _current[kind] = package;
        }

        foreach (var (kind, reason) in refused)
        {
            if (!fresh.ContainsKey(kind) && _current.TryGetValue(kind, out var kept))
            {
                statuses.Add(new PackageStatus(kept.Folder, kind, true, $"kept last good package {kept.Id}: the new {kind} package was refused ({reason})"));
            }
        }

        if (folders.Count == 0)
        {
            statuses.Add(new PackageStatus(modelsFolder, null, false, "no model package found"));
        }

        _statuses = statuses;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var p in _current.Values)
        {
            p.Dispose();
        }

        _current.Clear();
    }

    private static string? PeekKind(string folder)
    {
        try
        {
            var path = Path.Combine(folder, Core.Models.PackageSignature.ManifestFileName);
            return Core.Models.ManifestJson.Deserialize(File.ReadAllBytes(path), path).Kind;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return null;
        }
    }
}
