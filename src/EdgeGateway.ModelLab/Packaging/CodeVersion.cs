using System.Diagnostics;

namespace EdgeGateway.ModelLab.Packaging;

/// <summary>
/// The version of the training code recorded in manifests: the git tree ids of the lab and of
/// Core/Models at HEAD, plus <c>+dirty</c> when either has uncommitted changes. Tree ids change only
/// when that code changes, so committing a trained model does not change the version it records.
/// </summary>
public static class CodeVersion
{
    private static readonly string[] s_paths = ["src/EdgeGateway.ModelLab", "src/EdgeGateway.Core/Models"];

    /// <summary>The code version string, or <c>unknown</c> outside a git checkout.</summary>
    public static string Current(string repoRoot)
    {
        var parts = new List<string>();
        foreach (var p in s_paths)
        {
            var tree = Git(repoRoot, "rev-parse", $"HEAD:{p}");
            if (tree is null)
            {
                return "unknown";
            }

            parts.Add(tree[..12]);
        }

        var dirty = Git(repoRoot, ["status", "--porcelain", "--", .. s_paths]);
        return $"lab-tree:{string.Join('.', parts)}{(string.IsNullOrWhiteSpace(dirty) ? string.Empty : "+dirty")}";
    }

    private static string? Git(string cwd, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo("git") { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
