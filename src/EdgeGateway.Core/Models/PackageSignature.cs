using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EdgeGateway.Core.Models;

/// <summary>
/// Detached signature of a model package (<c>signature.json</c>). The signed message is the
/// package digest text: a header line, then one line <c>sha256-hex  file-name</c> for
/// <c>manifest.json</c> and each ONNX file it lists, sorted by name (ordinal). The signature is
/// ECDSA P-256 with SHA-256 over that text, IEEE P1363 (r||s), base64.
/// </summary>
/// <param name="Format">Always <see cref="FormatName"/>.</param>
/// <param name="Algorithm">Always <see cref="AlgorithmName"/>.</param>
/// <param name="KeyId">First 16 hex digits of the SHA-256 of the public key's SubjectPublicKeyInfo.</param>
/// <param name="Files">Signed files and their SHA-256.</param>
/// <param name="Signature">Base64 signature.</param>
public sealed record PackageSignature(string Format, string Algorithm, string KeyId, IReadOnlyList<SourceFile> Files, string Signature)
{
    /// <summary>Signature format name.</summary>
    public const string FormatName = "edgegateway-model-signature/1";

    /// <summary>Algorithm name.</summary>
    public const string AlgorithmName = "ECDSA-P256-SHA256";

    /// <summary>Name of the signature file in a package folder.</summary>
    public const string FileName = "signature.json";

    /// <summary>Name of the manifest file in a package folder.</summary>
    public const string ManifestFileName = "manifest.json";

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Key id of a public key.</summary>
    public static string KeyIdOf(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
    }

    /// <summary>The digest text over the given (name, sha256) pairs.</summary>
    public static byte[] DigestText(IEnumerable<SourceFile> files)
    {
        var sb = new StringBuilder("edgegateway model package v1\n");
        foreach (var f in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            sb.Append(f.Sha256).Append("  ").Append(f.Path).Append('\n');
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>The files a package's signature must cover: the manifest and every ONNX file it lists.</summary>
    public static IReadOnlyList<SourceFile> HashPackage(string folder, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var names = new List<string> { ManifestFileName };
        names.AddRange(manifest.Files.Select(f => f.Path));
        return names.OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => new SourceFile(n, Sha256File(Path.Combine(folder, n))))
            .ToList();
    }

    /// <summary>Lower-case hex SHA-256 of a file.</summary>
    public static string Sha256File(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    /// <summary>Signs a package folder with a private key and writes <c>signature.json</c>.</summary>
    public static PackageSignature Sign(string folder, ECDsa privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        var manifest = ManifestJson.Deserialize(File.ReadAllBytes(Path.Combine(folder, ManifestFileName)), ManifestFileName);
        var files = HashPackage(folder, manifest);
        var sig = privateKey.SignData(DigestText(files), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var result = new PackageSignature(FormatName, AlgorithmName, KeyIdOf(privateKey), files, Convert.ToBase64String(sig));
        File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(result, s_json) + "\n");
        return result;
    }

    /// <summary>Reads <c>signature.json</c>.</summary>
    public static PackageSignature Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        try
        {
            return JsonSerializer.Deserialize<PackageSignature>(File.ReadAllBytes(path), s_json)
                ?? throw new InvalidDataException($"{path}: empty signature file");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a package signature ({ex.Message})", ex);
        }
    }
}

/// <summary>Outcome of <see cref="PackageVerifier.Verify"/>.</summary>
/// <param name="Ok">True when hash and signature verify against a trusted key.</param>
/// <param name="Reason">Why not, naming the file or key; "ok" otherwise.</param>
/// <param name="Manifest">The manifest when it could be read.</param>
public sealed record PackageVerification(bool Ok, string Reason, ModelManifest? Manifest);

/// <summary>
/// Checks a package folder before anything in it is used: the manifest parses, every file the
/// manifest lists has the SHA-256 it states, the signature covers exactly those files with their
/// current hashes, and it verifies under one of the trusted public keys (PEM files).
/// </summary>
public static class PackageVerifier
{
    /// <summary>Verifies <paramref name="folder"/> against the PEM public keys in <paramref name="trustedKeyFiles"/>.</summary>
    public static PackageVerification Verify(string folder, IEnumerable<string> trustedKeyFiles)
    {
        ArgumentNullException.ThrowIfNull(trustedKeyFiles);
        var manifestPath = Path.Combine(folder, PackageSignature.ManifestFileName);
        if (!File.Exists(manifestPath))
        {
            return new(false, $"{manifestPath}: manifest missing", null);
        }

        ModelManifest manifest;
        try
        {
            manifest = ManifestJson.Deserialize(File.ReadAllBytes(manifestPath), manifestPath);
        }
        catch (InvalidDataException ex)
        {
            return new(false, ex.Message, null);
        }

        foreach (var f in manifest.Files)
        {
            var p = Path.Combine(folder, f.Path);
            if (!File.Exists(p))
            {
                return new(false, $"{f.Path}: listed in the manifest but missing", manifest);
            }

            var actual = PackageSignature.Sha256File(p);
            if (actual != f.Sha256)
            {
                return new(false, $"{f.Path}: SHA-256 {actual} does not match the manifest's {f.Sha256}", manifest);
            }
        }

        if (!File.Exists(Path.Combine(folder, PackageSignature.FileName)))
        {
            return new(false, $"{PackageSignature.FileName}: package is not signed", manifest);
        }

        PackageSignature sig;
        try
        {
            sig = PackageSignature.Read(folder);
        }
        catch (InvalidDataException ex)
        {
            return new(false, ex.Message, manifest);
        }

        if (sig.Algorithm != PackageSignature.AlgorithmName)
        {
            return new(false, $"{PackageSignature.FileName}: algorithm '{sig.Algorithm}' is not {PackageSignature.AlgorithmName}", manifest);
        }

        var current = PackageSignature.HashPackage(folder, manifest);
        var signedNames = sig.Files.Select(f => f.Path).OrderBy(n => n, StringComparer.Ordinal);
        if (!signedNames.SequenceEqual(current.Select(f => f.Path)))
        {
            return new(false, $"{PackageSignature.FileName}: signed files ({string.Join(", ", signedNames)}) are not the package's ({string.Join(", ", current.Select(f => f.Path))})", manifest);
        }

        foreach (var (signed, now) in sig.Files.OrderBy(f => f.Path, StringComparer.Ordinal).Zip(current))
        {
            if (signed.Sha256 != now.Sha256)
            {
                return new(false, $"{now.Path}: changed after signing (SHA-256 {now.Sha256}, signed {signed.Sha256})", manifest);
            }
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(sig.Signature);
        }
        catch (FormatException)
        {
            return new(false, $"{PackageSignature.FileName}: signature is not base64", manifest);
        }

        var digest = PackageSignature.DigestText(current);
        var keysTried = 0;
        foreach (var keyFile in trustedKeyFiles.OrderBy(k => k, StringComparer.Ordinal))
        {
            using var key = ECDsa.Create();
            try
            {
                key.ImportFromPem(File.ReadAllText(keyFile));
            }
            catch (ArgumentException)
            {
                continue;
            }

            keysTried++;
            if (PackageSignature.KeyIdOf(key) == sig.KeyId
                && key.VerifyData(digest, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                return new(true, "ok", manifest);
            }
        }

        return new(false, $"{PackageSignature.FileName}: signature by key {sig.KeyId} does not verify under any of {keysTried} trusted key(s)", manifest);
    }
}
