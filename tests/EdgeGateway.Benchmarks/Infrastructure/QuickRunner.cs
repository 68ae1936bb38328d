using System.Text.Json;

namespace EdgeGateway.Benchmarks.Infrastructure;

/// <summary>Runs every <see cref="IQuickBenchmark"/> in this assembly and prints one JSON object per line.</summary>
public static class QuickRunner
{
    /// <summary>Runs the quick benchmarks whose type name contains one of <paramref name="filters"/> (all when empty).</summary>
    public static int Run(string[] filters)
    {
        var types = typeof(QuickRunner).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IQuickBenchmark).IsAssignableFrom(t))
            .Where(t => filters.Length == 0 || filters.Any(f => t.Name.Contains(f, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var type in types)
        {
            var bench = (IQuickBenchmark)Activator.CreateInstance(type)!;
            foreach (var r in bench.Run())
            {
                Console.WriteLine(Format(r));
            }
        }

        return 0;
    }

    /// <summary>Formats a row as a single-line JSON object.</summary>
    public static string Format(QuickResult r)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("name", r.Name);
            w.WriteNumber(r.RateName, Math.Round(r.Rate, 1));
            w.WriteNumber("allocatedBytesPerOp", Math.Round(r.AllocatedBytesPerOp, 4));
            if (r.Extra is not null)
            {
                foreach (var (k, v) in r.Extra)
                {
                    w.WriteNumber(k, Math.Round(v, 4));
                }
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }
}
