using System.Diagnostics;
using System.Text;

namespace EdgeGateway.Integration.Tests.Arm64;

/// <summary>What a finished child process left: its exit code and everything it wrote.</summary>
internal sealed record ChildResult(int ExitCode, byte[] StandardOutput, string StandardError)
{
    public string StandardOutputText => Encoding.UTF8.GetString(StandardOutput);

    /// <summary>The last lines of both streams, for a failure message.</summary>
    public string Tail(int lines = 40)
    {
        var all = (StandardOutputText + "\n" + StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', all.TakeLast(lines));
    }
}

/// <summary>Runs a program to completion with a deadline; stdout is kept as raw bytes for byte comparisons.</summary>
internal static class ChildProcess
{
    public static async Task<ChildResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        Action<IDictionary<string, string?>>? environment = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        environment?.Invoke(psi.Environment);
        string described = fileName + " " + string.Join(' ', psi.ArgumentList);

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + described);
        using var stdout = new MemoryStream();
        var readOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var readErr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"'{described}' did not finish within {timeout.TotalMinutes:0.#} min; stderr so far:\n{await readErr}");
        }

        await readOut;
        return new ChildResult(process.ExitCode, stdout.ToArray(), await readErr);
    }
}

/// <summary>The dotnet host that runs these tests, for child builds and x64 runs of the gateway.</summary>
internal static class DotnetHost
{
    public static string Path { get; } = Find();

    /// <summary>
    /// A nested <c>dotnet publish</c> must not inherit the MSBuild locations of the test run that started it.
    /// </summary>
    public static void CleanEnvironment(IDictionary<string, string?> env)
    {
        foreach (string key in env.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            env.Remove(key);
        }

        env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        env["DOTNET_NOLOGO"] = "1";
    }

    private static string Find()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        string? self = Environment.ProcessPath;
        return self is not null && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}
