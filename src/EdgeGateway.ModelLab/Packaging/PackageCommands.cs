using System.Diagnostics;
using System.Security.Cryptography;
using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Cli;

namespace EdgeGateway.ModelLab.Packaging;

/// <summary><c>keygen</c>, <c>release</c>, <c>verify</c> and <c>reproduce</c>.</summary>
public static class PackageCommands
{
    /// <summary>Default folder for development private keys (outside the repository).</summary>
    public static string DefaultKeyFolder =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "edgegateway", "keys");

    /// <summary>
    /// <c>keygen</c>: writes a new ECDSA P-256 key pair. The private key goes outside the repository
    /// (or to a git-ignored path); the public key to <c>firmware-config/trusted-keys/</c>.
    /// </summary>
    public static int Keygen(CliArgs args, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        var name = args.Get("name", "dev-signing")!;
        var priv = Path.GetFullPath(args.Get("private-out", Path.Combine(DefaultKeyFolder, $"{name}.private.pem"))!);
        var pub = Path.GetFullPath(args.Get("public-out", Path.Combine(RepoPaths.Root(), "firmware-config", "trusted-keys", $"{name}.public.pem"))!);
        var force = args.Flag("force");
        args.EnsureAllUsed();
        if (File.Exists(priv) && !force)
        {
            throw new LabException($"{priv}: private key exists; pass --force to replace it");
        }

        var root = RepoPaths.Root();
        if (IsInside(priv, root) && !GitIgnored(root, priv))
        {
            throw new LabException($"{priv}: private keys must not enter the repository; write it outside {root} or to a git-ignored path");
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Directory.CreateDirectory(Path.GetDirectoryName(priv)!);
        Directory.CreateDirectory(Path.GetDirectoryName(pub)!);
        File.WriteAllText(priv, key.ExportPkcs8PrivateKeyPem() + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(priv, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(pub, key.ExportSubjectPublicKeyInfoPem() + "\n");
        stdout.WriteLine($"key id {PackageSignature.KeyIdOf(key)}");
        stdout.WriteLine($"private key: {priv}");
        stdout.WriteLine($"public key:  {pub}");
        return 0;
    }

    /// <summary><c>release</c>: runs the gate and signs only when every rule passes (exit 1 otherwise).</summary>
    public static int Release(CliArgs args, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        var package = args.Require("package");
        var gatePath = args.Get("gate", Path.Combine(package, "release-gate.json"))!;
        var keyPath = args.Get("key", Path.Combine(DefaultKeyFolder, "dev-signing.private.pem"))!;
        args.EnsureAllUsed();
        var manifest = PackageReader.ReadManifest(package);
        var gate = GateConfig.Load(gatePath);
        var results = ReleaseGate.Check(package, manifest, gate);
        foreach (var r in results)
        {
            stdout.WriteLine($"{(r.Passed ? "PASS" : "FAIL")}  {r.Rule}: {r.Detail}");
        }

        var failed = results.Where(r => !r.Passed).ToList();
        if (failed.Count > 0)
        {
            var sig = Path.Combine(package, PackageSignature.FileName);
            if (File.Exists(sig))
            {
                File.Delete(sig);
            }

            stdout.WriteLine($"release refused: {failed.Count} rule(s) failed; package not signed");
            return 1;
        }

        if (!File.Exists(keyPath))
        {
            throw new LabException($"{keyPath}: signing key not found; create one with 'keygen'");
        }

        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(keyPath));
        }
        catch (ArgumentException ex)
        {
            throw new LabException($"{keyPath}: not a PEM private key ({ex.Message})", ex);
        }

        var signature = PackageSignature.Sign(package, key);
        stdout.WriteLine($"signed by key {signature.KeyId}: {string.Join(", ", signature.Files.Select(f => f.Path))}");
        return 0;
    }

    /// <summary><c>verify</c>: checks hashes and signature against the trusted keys.</summary>
    public static int Verify(CliArgs args, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        var package = args.Require("package");
        var trusted = args.Get("trusted", Path.Combine(RepoPaths.Root(), "firmware-config", "trusted-keys"))!;
        args.EnsureAllUsed();
        var keys = Directory.Exists(trusted) ? Directory.GetFiles(trusted, "*.pem") : [];
        var v = PackageVerifier.Verify(package, keys);
        stdout.WriteLine(v.Ok ? $"{package}: verified" : $"{package}: REJECTED: {v.Reason}");
        return v.Ok ? 0 : 1;
    }

    /// <summary>
    /// <c>reproduce</c>: re-runs the manifest's training command into a temporary folder and compares
    /// the manifest and every ONNX file byte for byte.
    /// </summary>
    public static int Reproduce(CliArgs args, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        var package = args.Require("package");
        var extra = new List<string>();
        foreach (var passThrough in new[] { "cmapss" })
        {
            if (args.Get(passThrough) is { } v)
            {
                extra.AddRange(["--" + passThrough, v]);
            }
        }

        args.EnsureAllUsed();
        var manifest = PackageReader.ReadManifest(package);
        var tmp = Path.Combine(Path.GetTempPath(), "modellab-reproduce-" + Guid.NewGuid().ToString("N"));
        try
        {
            var command = manifest.Training.Command.Concat(["--out", tmp]).Concat(extra).ToList();
            stdout.WriteLine($"re-running: {string.Join(' ', command)}");
            var sw = Stopwatch.StartNew();
            using var quiet = new StringWriter();
            var cwd = Environment.CurrentDirectory;
            int rc;
            try
            {
                // Training commands name their data relative to the repository root.
                Environment.CurrentDirectory = RepoPaths.Root();
                rc = LabCli.Run(command, quiet, stdout);
            }
            finally
            {
                Environment.CurrentDirectory = cwd;
            }

            if (rc != 0)
            {
                stdout.WriteLine(quiet.ToString());
                throw new LabException($"re-training failed with exit code {rc}");
            }

            stdout.WriteLine($"re-trained in {sw.Elapsed.TotalSeconds:F1} s");
            var names = new List<string> { PackageSignature.ManifestFileName };
            names.AddRange(manifest.Files.Select(f => f.Path));
            var same = true;
            foreach (var n in names)
            {
                var a = File.ReadAllBytes(Path.Combine(package, n));
                var bPath = Path.Combine(tmp, n);
                var b = File.Exists(bPath) ? File.ReadAllBytes(bPath) : [];
                var eq = a.AsSpan().SequenceEqual(b);
                same &= eq;
                stdout.WriteLine($"{(eq ? "identical" : "DIFFERENT")}  {n}  sha256 {Convert.ToHexStringLower(SHA256.HashData(a))[..16]} vs {Convert.ToHexStringLower(SHA256.HashData(b))[..16]}");
            }

            if (!same)
            {
                var rebuilt = PackageReader.ReadManifest(tmp);
                if (rebuilt.Training.CodeVersion != manifest.Training.CodeVersion)
                {
                    stdout.WriteLine($"code version differs: package {manifest.Training.CodeVersion}, now {rebuilt.Training.CodeVersion}");
                }

                if (rebuilt.Training.DataHash != manifest.Training.DataHash)
                {
                    stdout.WriteLine($"training data differs: package {manifest.Training.DataHash}, now {rebuilt.Training.DataHash}");
                }
            }

            stdout.WriteLine(same ? "reproduced: byte-identical" : "NOT reproduced");
            return same ? 0 : 1;
        }
        finally
        {
            if (Directory.Exists(tmp))
            {
                Directory.Delete(tmp, recursive: true);
            }
        }
    }

    private static bool IsInside(string path, string folder)
    {
        var rel = Path.GetRelativePath(folder, path);
        return !rel.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(rel);
    }

    private static bool GitIgnored(string root, string path)
    {
        try
        {
            var psi = new ProcessStartInfo("git", ["check-ignore", "-q", path]) { WorkingDirectory = root, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
