using System.Globalization;

namespace EdgeGateway.ModelLab.Cli;

/// <summary>
/// Hand-parsed command line: leading words are the command, then <c>--name value</c> options and
/// <c>--flag</c> switches. <c>--set k=v</c> may repeat. Options a command never reads are rejected
/// by <see cref="EnsureAllUsed"/> so a typo does not silently fall back to a default.
/// </summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="args"/>.</summary>
    public CliArgs(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var words = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                var name = a[2..];
                string value;
                var eq = name.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0 && name != "set")
                {
                    value = name[(eq + 1)..];
                    name = name[..eq];
                }
                else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    value = args[++i];
                }
                else
                {
                    value = "true";
                }

                if (!_options.TryGetValue(name, out var list))
                {
                    list = [];
                    _options[name] = list;
                }

                list.Add(value);
            }
            else if (_options.Count == 0)
            {
                words.Add(a);
            }
            else
            {
                throw new LabException($"unexpected argument '{a}' after options; put command words first");
            }
        }

        Words = words;
    }

    /// <summary>The command words, e.g. <c>train</c>, <c>rul</c>.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>True when the option was given.</summary>
    public bool Has(string name)
    {
        _used.Add(name);
        return _options.ContainsKey(name);
    }

    /// <summary>The option's value, or <paramref name="fallback"/> when absent.</summary>
    public string? Get(string name, string? fallback = null)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out var v) ? v[^1] : fallback;
    }

    /// <summary>The option's value; stops with a message when absent.</summary>
    public string Require(string name) =>
        Get(name) ?? throw new LabException($"option --{name} is required for '{string.Join(' ', Words)}'");

    /// <summary>Every value of a repeatable option.</summary>
    public IReadOnlyList<string> GetAll(string name)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out var v) ? v : [];
    }

    /// <summary>Integer option.</summary>
    public int GetInt(string name, int fallback)
    {
        var s = Get(name);
        if (s is null)
        {
            return fallback;
        }

        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new LabException($"option --{name}: '{s}' is not an integer");
    }

    /// <summary>Floating-point option.</summary>
    public double GetDouble(string name, double fallback)
    {
        var s = Get(name);
        if (s is null)
        {
            return fallback;
        }

        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new LabException($"option --{name}: '{s}' is not a number");
    }

    /// <summary>Comma-separated list option (empty when absent).</summary>
    public IReadOnlyList<string> GetList(string name)
    {
        var s = Get(name);
        return s is null ? [] : s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Boolean switch.</summary>
    public bool Flag(string name) => Get(name) is { } v && v != "false";

    /// <summary><c>--set k=v</c> pairs as a dictionary.</summary>
    public IReadOnlyDictionary<string, string> GetSettings()
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kv in GetAll("set"))
        {
            var eq = kv.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new LabException($"option --set '{kv}': expected name=value");
            }

            d[kv[..eq]] = kv[(eq + 1)..];
        }

        return d;
    }

    /// <summary>Stops when an option was given that the command never read.</summary>
    public void EnsureAllUsed()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new LabException($"unknown option(s) for '{string.Join(' ', Words)}': {string.Join(", ", unknown.Select(u => "--" + u))}");
        }
    }
}
