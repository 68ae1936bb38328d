using System.Diagnostics;

namespace EdgeGateway.Bus.Tests;

/// <summary>
/// A serial link made of two pseudo-terminals joined by <c>socat</c>, reachable through the links
/// <see cref="AdapterEnd"/> and <see cref="HostEnd"/> in a private temp folder. Killing socat
/// unplugs the link; <see cref="Start"/> plugs it in again under the same paths.
/// </summary>
internal sealed class SocatPair : IDisposable
{
    private readonly string _dir;
    private Process? _process;

    public SocatPair()
    {
        _dir = Directory.CreateTempSubdirectory("edgegateway-bus-pty-").FullName;
        Start();
    }

    /// <summary>The end the adapter (or simulator) writes to.</summary>
    public string AdapterEnd => Path.Combine(_dir, "adapter");

    /// <summary>The end the gateway's serial reader opens.</summary>
    public string HostEnd => Path.Combine(_dir, "host");

    public void Start()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("socat is already running");
        }

        var psi = new ProcessStartInfo("socat")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-d");
        psi.ArgumentList.Add("-d");
        psi.ArgumentList.Add($"pty,raw,echo=0,link={AdapterEnd}");
        psi.ArgumentList.Add($"pty,raw,echo=0,link={HostEnd}");
        try
        {
            _process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("socat is not installed; run eng/install-test-deps.sh", ex);
        }

        var ptys = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _process.ErrorDataReceived += (_, e) =>
        {
            // socat -d -d announces each pty as "... N PTY is /dev/pts/7".
            int at = e.Data?.IndexOf("PTY is ", StringComparison.Ordinal) ?? -1;
            if (at >= 0)
            {
                ptys.Enqueue(e.Data![(at + 7)..].Trim());
            }
        };
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();

        var deadline = Stopwatch.StartNew();
        while (!(ptys.Count == 2 && LinkPointsInto(AdapterEnd, ptys) && LinkPointsInto(HostEnd, ptys)))
        {
            if (_process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"socat did not create {AdapterEnd} and {HostEnd}");
            }

            Thread.Sleep(10);
        }
    }

    /// <summary>Kills socat with SIGKILL: the ptys vanish, the links are left dangling.</summary>
    public void Unplug()
    {
        if (_process is null)
        {
            return;
        }

        _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Unplug();
        Directory.Delete(_dir, recursive: true);
    }

    // After a replug the old links may still dangle (or point at a pty number reused by someone
    // else); wait until both links point at the ptys this socat announced.
    private static bool LinkPointsInto(string link, IEnumerable<string> ptys) =>
        File.Exists(link) && ptys.Contains(File.ResolveLinkTarget(link, returnFinalTarget: false)?.FullName);
}
