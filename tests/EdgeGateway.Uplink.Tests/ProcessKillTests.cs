using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using EdgeGateway.Uplink.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EdgeGateway.Uplink.Tests;

/// <summary>
/// The gateway runs as a child process (tests/EdgeGateway.Uplink.ChildProcess) and is killed with SIGKILL at random
/// points while it enqueues and publishes, many times over. Every message whose EnqueueAsync returned must arrive.
/// </summary>
public sealed class ProcessKillTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 20;
    private const int MessagesPerProducer = 40;
    private const int Producers = 16;

    private static readonly string s_childPath = typeof(ProcessKillTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ChildProcessPath").Value!;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ChildProcess_KilledRepeatedlyDuringEnqueueAndPublish_EveryAcknowledgedMessageArrives()
    {
        Assert.True(File.Exists(s_childPath), $"child process not built at {s_childPath}");
        await using var broker = await MosquittoBroker.StartAsync(_dir.Path);
        await using var subscriber = await TestSubscriber.StartAsync(broker);
        var (cert, key) = broker.Certificates.IssueClient("gw-kill");
        var random = new Random(2026);
        var acknowledged = new ConcurrentDictionary<Guid, bool>();
        var killedWhileEnqueueing = 0;

        for (var run = 0; run < Kills; run++)
        {
            var sw = Stopwatch.StartNew();
            int onlineBefore = subscriber.Statuses().Count(s => s.Online);
            var child = await ChildRun.StartAsync(s_childPath, ChildArgs(broker, cert, key, MessagesPerProducer, seed: run + 1), output);
            await child.WaitForLineAsync("READY");
            var ready = sw.ElapsedMilliseconds;
            await Task.Delay(random.Next(0, 500));
            if (run == Kills - 1)
            {
                // At least one kill lands while connected, so the broker must send the Last Will
                // (on a loaded machine the TLS connection can take longer than every random delay).
                await Eventually.TrueAsync(() => subscriber.Statuses().Count(s => s.Online) > onlineBefore);
            }

            var killAt = sw.ElapsedMilliseconds;
            child.Kill();
            await child.WaitForExitAsync();
            output.WriteLine($"ready {ready} ms, killed at {killAt} ms, exited at {sw.ElapsedMilliseconds} ms");
            foreach (var id in child.EnqueuedIds)
            {
                acknowledged[id] = true;
            }

            if (!child.HasLine("DRAINED") && child.EnqueuedIds.Count < Producers * MessagesPerProducer)
            {
                killedWhileEnqueueing++;
            }

            child.AssertNoErrors();
            output.WriteLine($"run {run}: {child.EnqueuedIds.Count} acknowledged enqueues before SIGKILL; drained: {child.HasLine("DRAINED")}");
        }

        // Last run: no new messages, drain whatever survived, then stop cleanly.
        var finalWatch = Stopwatch.StartNew();
        var final = await ChildRun.StartAsync(s_childPath, ChildArgs(broker, cert, key, 0, seed: 999), output);
        await final.WaitForLineAsync("DRAINED");
        await final.WaitForExitAsync();
        final.AssertNoErrors();

        await Eventually.TrueAsync(() => acknowledged.Keys.All(subscriber.Envelopes().Select(e => e.MessageId).ToHashSet().Contains));
        output.WriteLine($"final drain and delivery took {finalWatch.ElapsedMilliseconds} ms");
        var received = subscriber.Envelopes().Select(e => e.MessageId).ToHashSet();
        var missing = acknowledged.Keys.Where(id => !received.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged messages never arrived, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.True(killedWhileEnqueueing > 0, "some kills must land during enqueue");
        Assert.True(acknowledged.Count > 1000, $"only {acknowledged.Count} acknowledged enqueues: the kills came too early to test much");
        Assert.Contains(subscriber.Statuses(), s => !s.Online && s.CreatedUtc is null);
        output.WriteLine($"{acknowledged.Count} acknowledged, {received.Count} distinct received, {subscriber.Envelopes().Count} envelopes, {killedWhileEnqueueing} kills during enqueue");
    }

    private string[] ChildArgs(MosquittoBroker broker, string cert, string key, int perProducer, int seed) =>
    [
        _dir.File("gateway-outbox.db"), broker.Port.ToString(CultureInfo.InvariantCulture), broker.Certificates.CaPath, cert, key,
        "acme", "gw-kill", perProducer.ToString(CultureInfo.InvariantCulture), seed.ToString(CultureInfo.InvariantCulture),
    ];

    private sealed class ChildRun
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _lines = new();
        private readonly ConcurrentQueue<string> _errors = new();

        private ChildRun(Process process) => _process = process;

        public IReadOnlyList<Guid> EnqueuedIds => [.. _lines.Where(l => l.StartsWith("ENQ ", StringComparison.Ordinal))
            .Select(l => Guid.TryParse(l.AsSpan(4), out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty)];

        public static Task<ChildRun> StartAsync(string dll, string[] args, ITestOutputHelper output)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(dll);
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }

            var process = new Process { StartInfo = psi };
            var run = new ChildRun(process);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    run._lines.Enqueue(e.Data);
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not { Length: > 0 } line)
                {
                    return;
                }

                if (line.StartsWith("ERROR", StringComparison.Ordinal) || line.StartsWith("CRITICAL", StringComparison.Ordinal) || line.Contains("Unhandled exception", StringComparison.Ordinal))
                {
                    run._errors.Enqueue(line);
                }

                if (!line.StartsWith("INFORMATION", StringComparison.Ordinal))
                {
                    try
                    {
                        output.WriteLine("child: " + line);
                    }
                    catch (InvalidOperationException)
                    {
                        // Test already over.
                    }
                }
            };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return Task.FromResult(run);
        }

        public bool HasLine(string line) => _lines.Contains(line);

        public async Task WaitForLineAsync(string line)
        {
            await Eventually.AssertAsync(() => HasLine(line) || _process.HasExited, $"child prints {line}");
            if (_process.HasExited)
            {
                // Output events can trail the exit: this overload waits until the redirected streams reach EOF.
                _process.WaitForExit();
            }

            Assert.True(HasLine(line), $"child exited with {(_process.HasExited ? _process.ExitCode : 0)} before printing {line}: {string.Join(" | ", _errors)}");
        }

        public void Kill()
        {
            if (!_process.HasExited)
            {
                // Process.Kill sends SIGKILL on Linux.
                _process.Kill();
            }
        }

        public async Task WaitForExitAsync()
        {
            await _process.WaitForExitAsync();
            _process.WaitForExit(); // drains the redirected output
            _process.Dispose();
        }

        public void AssertNoErrors() => Assert.True(_errors.IsEmpty, "child logged errors: " + string.Join(" | ", _errors));
    }
}
