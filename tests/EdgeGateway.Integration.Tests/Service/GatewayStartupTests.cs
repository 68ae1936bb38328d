using System.Diagnostics;

namespace EdgeGateway.Integration.Tests.Service;

/// <summary>The service started as a child process with a broken configuration.</summary>
public class GatewayStartupTests
{
    [Fact]
    public async Task Run_BrokenConfig_ExitsThreeWithOneLinePerProblem()
    {
        using var dir = new TempDir();
        string panel = dir.File("crew-panel.json");
        File.WriteAllText(panel, File.ReadAllText(Path.Combine(RepoPaths.Root, "firmware-config", "crew-panel.json")).Replace("\"redLamp\": 27", "\"redLamp\": 99", StringComparison.Ordinal));
        string missingTable = dir.File("no-such-table.json");
        string unreadableCa = dir.File("no-such-ca.pem");

        var psi = GatewayProcess.StartInfo(dir.Path,
        [
            $"--Gateway:LabelTable={missingTable}",
            $"--Gateway:DataFolder={dir.File("data")}",
            "--Crew:Mode=Hardware",
            $"--Crew:PanelConfig={panel}",
            "--Uplink:BrokerHost=127.0.0.1",
            "--Uplink:BrokerPort=8883",
            $"--Uplink:CaCertificatePath={unreadableCa}",
            "--Api:Urls:0=http://127.0.0.1:1",
        ]);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await stdout;

        Assert.True(p.ExitCode == 3, $"exit {p.ExitCode}; stderr: {stderr}");
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("edgegateway: the configuration has", lines[0], StringComparison.Ordinal);
        Assert.Single(lines, l => l.StartsWith("Gateway:LabelTable", StringComparison.Ordinal) && l.Contains(missingTable, StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("Crew:PanelConfig", StringComparison.Ordinal) && l.Contains("99", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("Uplink:CaCertificatePath", StringComparison.Ordinal) && l.Contains(unreadableCa, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
