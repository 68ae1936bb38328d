using EdgeGateway.Cli;
using EdgeGateway.Core.Summaries;
using EdgeGateway.Simulator.Cli;

namespace EdgeGateway.Integration.Tests.Inference;

public sealed class ReplayAnalysisTests
{
    private static string[] Flight(string outPath, params string[] extra) =>
        ["flight", "--hours", "0.4", "--seed", "21", "--turbulence", "0", "--table", RepoPaths.A320Table, "--quiet", "--out", outPath, .. extra];

    private static (FlightSummary Summary, string Output) Replay(TempDir dir, string cap, params string[] extra)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int rc = CommandLine.Run(["replay", cap, "--table", RepoPaths.A320Table, "--summary-out", dir.File("s.json"), .. extra], o, e);
        Assert.True(rc == ExitCodes.Ok, e.ToString());
        return (FlightSummaryJson.Parse(File.ReadAllBytes(dir.File("s.json"))), o.ToString());
    }

    [Fact]
    public void Replay_NoModels_DegradedButExceedancesAndDataQualityRun()
    {
        using var dir = new TempDir();
        Assert.Equal(0, SimulatorCli.Run(Flight(dir.File("f.cap"), "--fault", "sensor-stuck:1:5m:EGT", "--fault", "sensor-dropout:2:10m:N2"), TextWriter.Null, TextWriter.Null));
        Directory.CreateDirectory(dir.File("none"));

        var (s, output) = Replay(dir, dir.File("f.cap"), "--models", dir.File("none"));

        Assert.True(s.Models!.Degraded);
        Assert.Contains("degraded", output, StringComparison.Ordinal);
        Assert.Equal("cfm56-5b.json (CFM56-5B4)", s.Models.ExceedanceLimits);
        Assert.Empty(s.AnomalyEpisodes);
        var stuck = Assert.Single(s.Alerts, a => a.Source == "DataQuality" && a.Parameter == "EGT");
        Assert.Equal(1, stuck.EnginePosition);
        Assert.Contains("stuck", stuck.Text, StringComparison.Ordinal);
        var dead = Assert.Single(s.Alerts, a => a.Source == "DataQuality" && a.Parameter == "N2");
        Assert.Equal(2, dead.EnginePosition);
        Assert.Contains("dead", dead.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(s.Alerts, a => a.Source is "AnomalyEpisode" or "Exceedance");
        Assert.Contains("Alerts a crew would have seen:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_NoVibrationLabels_DataQualityAlertsAndNoModelAlerts()
    {
        using var dir = new TempDir();

        // A table without the vibration labels: the recording never carries them.
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(RepoPaths.A320Table))!;
        var entries = json["entries"]!.AsArray();
        foreach (var entry in entries.Where(x => x!["fields"]![0]!["parameter"]!.GetValue<string>().EndsWith("Vibration", StringComparison.Ordinal)).ToList())
        {
            entries.Remove(entry);
        }

        File.WriteAllText(dir.File("novib.json"), json.ToJsonString());
        Assert.Equal(0, SimulatorCli.Run(["flight", "--hours", "0.3", "--seed", "4", "--table", dir.File("novib.json"), "--quiet", "--out", dir.File("f.cap")], TextWriter.Null, TextWriter.Null));

        var (s, _) = Replay(dir, dir.File("f.cap"), "--models", SignedAnomaly(dir), "--trusted-keys", dir.File("keys"));

        Assert.False(s.Models!.Degraded);
        Assert.All(s.AnomalyScoring, a => Assert.Equal(0, a.WindowsScored));
        Assert.Empty(s.AnomalyEpisodes);
        Assert.Equal(4, s.Alerts.Count(a => a.Source == "DataQuality" && a.Parameter.EndsWith("Vibration", StringComparison.Ordinal) && a.Text.Contains("no data", StringComparison.Ordinal)));
        Assert.DoesNotContain(s.Alerts, a => a.Source == "AnomalyEpisode");
    }

    [Fact]
    public void Replay_OilLeak_RaisedOnTheLeakingEngineWithinMinutes()
    {
        using var dir = new TempDir();
        Assert.Equal(0, SimulatorCli.Run(["flight", "--hours", "0.5", "--seed", "35", "--fault", "oil-leak:2:8m", "--table", RepoPaths.A320Table, "--quiet", "--out", dir.File("f.cap")], TextWriter.Null, TextWriter.Null));

        var (s, output) = Replay(dir, dir.File("f.cap"), "--models", SignedAnomaly(dir), "--trusted-keys", dir.File("keys"));

        // The shipped package's falling oil-quantity split (engine against engine): a 4 qt/h leak is
        // raised minutes after its onset, not after the 12-15 minutes the residual features need.
        var labels = Simulator.Flights.FlightLabels.Load(dir.File("f.cap.labels.json"));
        var leak = Assert.Single(labels.Faults);
        var episode = Assert.Single(s.AnomalyEpisodes);
        Assert.Equal(2, episode.EnginePosition);
        double latency = (episode.RaisedUtc - leak.StartUtc).TotalSeconds + (labels.TimestampOffsetMicros / 1e6);
        Assert.InRange(latency, 60, 420);

        // Explained by this engine's oil quantity: occlusion replaces OilQuantity together with
        // OilQuantity@other, and a companion input is never named on its own.
        Assert.Equal("OilQuantity", episode.Channels[0].Channel);
        Assert.DoesNotContain(episode.Channels, c => c.Channel.EndsWith("@other", StringComparison.Ordinal));

        // Channels whose occlusion raises the score (replacing them with another minute's values
        // makes the window less normal, not more) are not listed as explaining it.
        Assert.All(episode.Channels, c => Assert.True(c.Contribution > 0, $"{c.Channel}: {c.Contribution}"));
        Assert.Contains(s.Alerts, a => a.Source == "AnomalyEpisode" && a.EnginePosition == 2 && a.Text.StartsWith("ENG 2 OilQuantity abnormal trend", StringComparison.Ordinal));

        // Raised by the comparison with engine 1 (engine 2 scored alone was still normal), and the
        // alert says so: to that comparison, engine 1's oil-quantity sensor drifting up looks the same.
        var threshold = Assert.Single(s.AnomalyScoring, a => a.EnginePosition == 2).Threshold;
        Assert.NotNull(episode.RaisedAloneScore);
        Assert.True(episode.RaisedAloneScore <= threshold, $"alone {episode.RaisedAloneScore}, threshold {threshold}");
        var alert = Assert.Single(s.Alerts, a => a.Source == "AnomalyEpisode");
        Assert.Equal("ENG 2 OilQuantity abnormal trend vs ENG 1: inspect before next departure", alert.Text);
        Assert.Contains("raised by the comparison with ENG 1, whose OilQuantity sensor may be the one at fault", alert.Detail, StringComparison.Ordinal);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"(alone {episode.RaisedAloneScore:0.###})"), output, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_BearingWear_RaisedOnTheEngineAloneWithoutNamingTheOther()
    {
        using var dir = new TempDir();
        Assert.Equal(0, SimulatorCli.Run(["flight", "--hours", "0.5", "--seed", "35", "--fault", "bearing-wear:2:5m", "--table", RepoPaths.A320Table, "--quiet", "--out", dir.File("f.cap")], TextWriter.Null, TextWriter.Null));

        var (s, _) = Replay(dir, dir.File("f.cap"), "--models", SignedAnomaly(dir), "--trusted-keys", dir.File("keys"));

        // The worn bearing's vibration is abnormal with or without the other engine's inputs.
        var episode = Assert.Single(s.AnomalyEpisodes);
        Assert.Equal(2, episode.EnginePosition);
        var threshold = Assert.Single(s.AnomalyScoring, a => a.EnginePosition == 2).Threshold;
        Assert.True(episode.RaisedAloneScore > threshold, $"alone {episode.RaisedAloneScore}, threshold {threshold}");
        var alert = Assert.Single(s.Alerts, a => a.Source == "AnomalyEpisode");
        Assert.DoesNotContain("vs ENG", alert.Text, StringComparison.Ordinal);
        Assert.EndsWith("abnormal trend: inspect before next departure", alert.Text, StringComparison.Ordinal);
        Assert.Contains("abnormal without ENG 1's inputs", alert.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_TamperedModel_RefusedAndReplayStillRuns()
    {
        using var dir = new TempDir();
        Assert.Equal(0, SimulatorCli.Run(Flight(dir.File("f.cap")), TextWriter.Null, TextWriter.Null));
        string models = SignedAnomaly(dir);
        var onnx = Path.Combine(models, "anomaly", "anomaly.int8.onnx");
        var bytes = File.ReadAllBytes(onnx);
        bytes[100] ^= 0x10;
        File.WriteAllBytes(onnx, bytes);

        var (s, _) = Replay(dir, dir.File("f.cap"), "--models", models, "--trusted-keys", dir.File("keys"));

        var p = Assert.Single(s.Models!.Packages);
        Assert.False(p.Loaded);
        Assert.Contains("anomaly.int8.onnx: SHA-256", p.Message, StringComparison.Ordinal);
        Assert.True(s.Models.Degraded);
        Assert.NotEmpty(s.Engines);
    }

    /// <summary>The lab's shipped anomaly package (its release gate has not signed it) signed with a test key into a temp models folder.</summary>
    internal static string SignedAnomaly(TempDir dir)
    {
        string models = dir.File("models");
        string pkg = Path.Combine(models, "anomaly");
        Directory.CreateDirectory(pkg);
        foreach (var f in new[] { "manifest.json", "anomaly.onnx", "anomaly.int8.onnx" })
        {
            File.Copy(Path.Combine(RepoPaths.Root, "models", "anomaly", f), Path.Combine(pkg, f));
        }

        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        Core.Models.PackageSignature.Sign(pkg, key);
        Directory.CreateDirectory(dir.File("keys"));
        File.WriteAllText(dir.File("keys/test.pem"), key.ExportSubjectPublicKeyInfoPem());
        return models;
    }
}
