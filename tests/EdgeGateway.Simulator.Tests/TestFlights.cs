using EdgeGateway.Core.Arinc;
using EdgeGateway.Simulator.Flights;
using EdgeGateway.Simulator.Output;

namespace EdgeGateway.Simulator.Tests;

/// <summary>Short flights and the shipped table, shared by the tests.</summary>
internal static class TestFlights
{
    private static readonly Lazy<LabelTable> s_table = new(() => LabelTableLoader.Load(RepoPaths.A320Table));

    public static LabelTable Table => s_table.Value;

    public static FlightOptions Short(long seed = 11, double hours = 0.2, double turbulence = 0, params FaultSpec[] faults) => new()
    {
        Seed = seed,
        Duration = TimeSpan.FromHours(hours),
        TurbulencePerHour = turbulence,
        Faults = faults,
    };

    public static (List<BusWord> Words, FlightLabels Labels) Generate(FlightOptions options)
    {
        var sink = new CollectingSink();
        var labels = new FlightGenerator(Table, options).Run(sink);
        return (sink.Words, labels);
    }

    /// <summary>Flight time of a word, seconds (the adapter timestamp marks its last bit).</summary>
    public static double SecondsOf(in BusWord w, FlightLabels labels) => (w.TimestampMicros - labels.TimestampOffsetMicros) / 1e6;

    /// <summary>Decodes a word with the shipped table; fails the test when it does not decode.</summary>
    public static (Channel Channel, double Value) Decode(uint word)
    {
        Span<DecodedValue> values = stackalloc DecodedValue[4];
        var outcome = Table.Decode(word, values, out int n);
        Assert.Equal(DecodeOutcome.Decoded, outcome);
        Assert.Equal(1, n);
        return (Table.Channels[values[0].ChannelId], values[0].Value);
    }
}

/// <summary>Keeps every word in memory.</summary>
internal sealed class CollectingSink : IWordSink
{
    public List<BusWord> Words { get; } = [];

    public bool Completed { get; private set; }

    public int Flushes { get; private set; }

    public void Write(in BusWord word) => Words.Add(word);

    public void Flush() => Flushes++;

    public void Complete() => Completed = true;
}

/// <summary>Locates files of the repository from the test's output folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string A320Table => Path.Combine(Root, "firmware-config", "label-tables", "a320-cfm56-5b.json");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EdgeGateway.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("EdgeGateway.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A temporary folder removed at dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sim-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
