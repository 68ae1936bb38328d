namespace EdgeGateway.Integration.Tests.Arm64;

/// <summary>
/// Publishes the gateway once with <c>publish-profiles/linux-arm64.pubxml</c> for every test in
/// <see cref="Arm64TestGroup"/>. The expensive part, ReadyToRun compilation, is incremental in
/// <c>src/EdgeGateway/obj</c>, so a warm run only re-checks and copies; the output goes to a fresh folder.
/// </summary>
public sealed class LinuxArm64Publish : IAsyncLifetime
{
    /// <summary>A cold self-contained ReadyToRun publish on a busy 2-core machine takes a few minutes.</summary>
    private static readonly TimeSpan s_publishTimeout = TimeSpan.FromMinutes(15);

    private readonly string _root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "eg-arm64-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The published folder.</summary>
    public string Directory => System.IO.Path.Combine(_root, "publish");

    /// <summary>The published gateway's native apphost.</summary>
    public string Executable => System.IO.Path.Combine(Directory, "edgegateway");

    public async Task InitializeAsync()
    {
        string project = System.IO.Path.Combine(RepoPaths.Root, "src", "EdgeGateway", "EdgeGateway.csproj");
        ChildResult r = await ChildProcess.RunAsync(
            DotnetHost.Path,
            ["publish", project, "-c", "Release", "-p:PublishProfile=linux-arm64", $"-p:PublishDir={Directory}/", "-nodeReuse:false", "-nologo", "-v", "q"],
            RepoPaths.Root,
            s_publishTimeout,
            DotnetHost.CleanEnvironment);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish -p:PublishProfile=linux-arm64 failed with exit code {r.ExitCode}:\n{r.Tail()}");
        }
    }

    public Task DisposeAsync()
    {
        try
        {
            System.IO.Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// The arm64 tests share one publish and run alone: the publish and the emulator use both cores, and
/// the timing-sensitive serial tests of this assembly should not compete with them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Arm64TestGroup : ICollectionFixture<LinuxArm64Publish>
{
    public const string Name = "linux-arm64 publish";
}
