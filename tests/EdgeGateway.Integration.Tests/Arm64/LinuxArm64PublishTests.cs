using System.Reflection.PortableExecutable;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeGateway.Core.Summaries;

namespace EdgeGateway.Integration.Tests.Arm64;

/// <summary>
/// The product is the linux-arm64 publish. These tests publish it with its profile and run the published
/// gateway under qemu user-mode emulation (<c>eng/run-arm64.sh</c>) on a simulated landing: its summary
/// JSON and its console output must equal the x64 gateway's byte for byte, so whatever the gateway
/// computes and prints (decoding, conditioning, summaries, model alerts) is proven on ARM64.
/// </summary>
[Collection(Arm64TestGroup.Name)]
public partial class LinuxArm64PublishTests
{
    /// <summary>ELF e_machine of AArch64 (EM_AARCH64).</summary>
    private const ushort ElfMachineAarch64 = 0xB7;

    /// <summary>
    /// ReadyToRun images for Linux store the PE machine XOR-ed with an OS marker (crossgen2's
    /// TargetOS.Linux = 0x7B79) so Windows never loads them; Arm64 is 0xAA64.
    /// </summary>
    private const ushort ReadyToRunMachineLinuxArm64 = 0xAA64 ^ 0x7B79;

    /// <summary>Emulation is 10-50 times slower than native; a half-hour flight replays in well under a minute.</summary>
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromMinutes(5);

    private static readonly string[] s_flight = ["flight", "--hours", "0.5", "--seed", "29", "--fault", "bearing-wear:2:10m", "--out"];

    private readonly LinuxArm64Publish _publish;

    public LinuxArm64PublishTests(LinuxArm64Publish publish) => _publish = publish;

    [Fact]
    public void Publish_LinuxArm64Profile_SelfContainedAarch64ReadyToRun()
    {
        foreach (string native in new[] { "edgegateway", "libcoreclr.so", "libclrjit.so", "libSystem.Native.so", "libe_sqlite3.so" })
        {
            string path = Path.Combine(_publish.Directory, native);
            Assert.True(File.Exists(path), $"{native} missing from the publish folder {_publish.Directory}");
            AssertAarch64(path);
        }

        // Every native file in the folder, packages' libraries (ONNX Runtime once the gateway loads models)
        // and launchers alike, must be an arm64 build: one x64 file means a dependency was resolved for the host.
        foreach (string path in Directory.EnumerateFiles(_publish.Directory, "*", SearchOption.AllDirectories).Where(IsElf))
        {
            AssertAarch64(path);
        }

        // Self-contained: the runtime config names the frameworks it carries instead of ones to look up.
        using (var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_publish.Directory, "edgegateway.runtimeconfig.json"))))
        {
            var options = config.RootElement.GetProperty("runtimeOptions");
            Assert.True(options.TryGetProperty("includedFrameworks", out _), "runtimeconfig.json has no includedFrameworks: not self-contained");
            Assert.False(options.TryGetProperty("framework", out _), "runtimeconfig.json asks for a shared framework");
        }

        foreach (string assembly in new[] { "edgegateway.dll", "EdgeGateway.Core.dll", "EdgeGateway.Bus.dll" })
        {
            using var pe = new PEReader(File.OpenRead(Path.Combine(_publish.Directory, assembly)));
            var headers = pe.PEHeaders;
            Assert.True(headers.CorHeader?.ManagedNativeHeaderDirectory.Size > 0, $"{assembly} carries no ReadyToRun code");
            Assert.Equal(ReadyToRunMachineLinuxArm64, (ushort)headers.CoffHeader.Machine);
        }

        Assert.True(
            File.Exists(Path.Combine(_publish.Directory, "firmware-config", "label-tables", "a320-cfm56-5b.json")),
            "the shipped label table is missing from the publish folder");
    }

    [Fact]
    public async Task Replay_RecordedLandingUnderQemu_SameSummaryAndOutputAsX64()
    {
        using var dir = new TempDir();
        string x64Dir = Directory.CreateDirectory(dir.File("x64")).FullName;
        string armDir = Directory.CreateDirectory(dir.File("arm64")).FullName;

        var sim = await ChildProcess.RunAsync(DotnetHost.Path, [Beside("EdgeGateway.Simulator.dll"), .. s_flight, dir.File("flight.cap")], dir.Path, s_runTimeout);
        Assert.True(sim.ExitCode == 0, $"simulator failed ({sim.ExitCode}):\n{sim.Tail()}");

        // Both gateways run in a folder of their own with the same relative paths, so even the
        // "summary written to" line must match; each uses the label table shipped beside it.
        string[] replay = ["replay", "../flight.cap", "--summary-out", "summary.json"];
        var x64 = await ChildProcess.RunAsync(DotnetHost.Path, [Beside("edgegateway.dll"), .. replay], x64Dir, s_runTimeout);
        Assert.True(x64.ExitCode == 0, $"x64 replay failed ({x64.ExitCode}):\n{x64.Tail()}");

        string runArm64 = Path.Combine(RepoPaths.Root, "eng", "run-arm64.sh");
        var arm = await ChildProcess.RunAsync("bash", [runArm64, _publish.Executable, .. replay], armDir, s_runTimeout);
        Assert.True(arm.ExitCode == 0, $"arm64 replay under qemu failed ({arm.ExitCode}; 125 means the emulation could not be set up):\n{arm.Tail()}");

        // The x64 run is a real landing, not two identical failures.
        var summary = FlightSummaryJson.Parse(File.ReadAllBytes(Path.Combine(x64Dir, "summary.json")));
        Assert.True(summary.Words > 200_000, $"the x64 replay saw only {summary.Words} words");
        Assert.StartsWith("Flight SIM-29", x64.StandardOutputText, StringComparison.Ordinal);

        // ONNX Runtime's kernels round differently on NEON and AVX (model scores differ in the last
        // bits); everything else, including which episodes and alerts there are and when, is exact.
        var x64Summary = File.ReadAllBytes(Path.Combine(x64Dir, "summary.json"));
        var armSummary = File.ReadAllBytes(Path.Combine(armDir, "summary.json"));
        AssertSameText(Encoding.UTF8.GetString(x64Summary), Encoding.UTF8.GetString(armSummary), "summary JSON");
        static string Alerts(byte[] json) => string.Join("\n", FlightSummaryJson.Parse(json).Alerts.Select(a => $"{a.Id} {a.AtUtc:O} {a.Severity} {a.Text} [{string.Join(",", a.Channels)}]"));
        Assert.Equal(Alerts(x64Summary), Alerts(armSummary));
        Assert.NotEmpty(FlightSummaryJson.Parse(x64Summary).Alerts);
        AssertSameText(Encoding.UTF8.GetString(x64.StandardOutput), Encoding.UTF8.GetString(arm.StandardOutput), "standard output", relative: 1e-3); // printed to 3-4 digits
        // Messages may name files the gateway found beside itself (e.g. a refused model package): compare them app-relative.
        Assert.Equal(
            WithoutTiming(x64.StandardError).Replace(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory), "<app>", StringComparison.Ordinal),
            WithoutTiming(arm.StandardError).Replace(Path.TrimEndingDirectorySeparator(_publish.Directory), "<app>", StringComparison.Ordinal));
        Assert.Matches(TimingLine(), arm.StandardError);
    }

    private static string Beside(string file) => Path.Combine(AppContext.BaseDirectory, file);

    private static bool IsElf(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var f = File.OpenRead(path);
        return f.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("\u007FELF"u8);
    }

    private static void AssertAarch64(string path)
    {
        ushort machine = ElfMachine(path);
        Assert.True(machine == ElfMachineAarch64, $"{path} is built for ELF machine 0x{machine:X}, not AArch64 (0xB7)");
    }

    private static ushort ElfMachine(string path)
    {
        Span<byte> header = stackalloc byte[20];
        using (var f = File.OpenRead(path))
        {
            f.ReadExactly(header);
        }

        Assert.True(header[..4].SequenceEqual("\u007FELF"u8), $"{path} is not an ELF file");
        Assert.True(header[4] == 2 && header[5] == 1, $"{path} is not a 64-bit little-endian ELF file");
        return (ushort)(header[18] | (header[19] << 8));
    }

    /// <summary>Compares whole files; on a difference, shows where and the text around it on both sides.</summary>
    private static void AssertSameBytes(byte[] x64, byte[] arm64, string what)
    {
        int n = Math.Min(x64.Length, arm64.Length);
        int at = x64.AsSpan(0, n).CommonPrefixLength(arm64.AsSpan(0, n));
        if (at == n && x64.Length == arm64.Length)
        {
            return;
        }

        string Around(byte[] b) => Encoding.UTF8.GetString(b, Math.Max(0, at - 120), Math.Min(b.Length, at + 120) - Math.Max(0, at - 120));
        Assert.Fail($"{what} differs at byte {at} (x64 {x64.Length} bytes, arm64 {arm64.Length} bytes)\n--- x64:\n{Around(x64)}\n--- arm64:\n{Around(arm64)}");
    }

    /// <summary>
    /// Compares texts token by token: non-numeric text exactly, numbers within <paramref name="relative"/>
    /// (or 1e-4 absolute: occlusion contributions are differences of float32 scores), the agreement
    /// two floating-point implementations of one model reach.
    /// </summary>
    private static void AssertSameText(string x64, string arm64, string what, double relative = 1e-5)
    {
        var a = NumberToken().Split(x64);
        var b = NumberToken().Split(arm64);
        var na = NumberToken().Matches(x64);
        var nb = NumberToken().Matches(arm64);
        int diff = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => a[i] != b[i], Math.Min(a.Length, b.Length));
        Assert.True(a.SequenceEqual(b) && na.Count == nb.Count, $"{what}: the text around the numbers differs at segment {diff}: x64 '{(diff < a.Length ? a[diff] : "")}', arm64 '{(diff < b.Length ? b[diff] : "")}'");
        for (int i = 0; i < na.Count; i++)
        {
            double u = double.Parse(na[i].Value, System.Globalization.CultureInfo.InvariantCulture);
            double v = double.Parse(nb[i].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(u - v) <= Math.Max(1e-4, relative * Math.Max(Math.Abs(u), Math.Abs(v))), $"{what}: number {i} differs: x64 {na[i].Value}, arm64 {nb[i].Value} (at character {na[i].Index})");
        }
    }

    [GeneratedRegex(@"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.])")]
    private static partial Regex NumberToken();

    /// <summary>stderr without the throughput and memory line, which varies run to run.</summary>
    private static string WithoutTiming(string stderr) => TimingLine().Replace(stderr, string.Empty);

    [GeneratedRegex(@"^replay: \d+ words in .*\n?", RegexOptions.Multiline)]
    private static partial Regex TimingLine();
}
