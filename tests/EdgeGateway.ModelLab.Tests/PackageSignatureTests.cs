using System.Security.Cryptography;
using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Packaging;

namespace EdgeGateway.ModelLab.Tests;

public class PackageSignatureTests
{
    internal static ModelManifest SampleManifest() => new(
        ModelManifest.CurrentFormat,
        "test",
        "anomaly",
        "test package",
        [],
        new InputSpec(["a", "b"], [], 2, 1, "hertz", "window"),
        new ScalerSpec([], [], [[]], [[0, 0]], [[1, 1]]),
        new OutputSpec("score", "anomaly score", "score"),
        new DecisionSpec(1.0, "test", new DebounceSpec(2, 2)),
        new TrainingSpec(new string('0', 64), [new SourceFile("x.csv", new string('1', 64))], 10, 1, "synthetic", "test licence", 1, "v", ["train"], ["a", "b"]),
        [new Metric("f1", 0.9)],
        [],
        new SelfTestVector([0, 0, 0, 0], [0], 0.01));

    private static (string Dir, string PubKey) SignedPackage(TempDir tmp, ECDsa key)
    {
        var dir = Directory.CreateDirectory(tmp.Combine("pkg")).FullName;
        PackageBuilder.Write(dir, SampleManifest(), [("fp32", "model.onnx", [1, 2, 3, 4])]);
        PackageSignature.Sign(dir, key);
        var pub = tmp.File("trusted.public.pem", key.ExportSubjectPublicKeyInfoPem());
        return (dir, pub);
    }

    [Fact]
    public void Verify_SignedPackage_Ok()
    {
        using var tmp = new TempDir();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (dir, pub) = SignedPackage(tmp, key);
        var v = PackageVerifier.Verify(dir, [pub]);
        Assert.True(v.Ok, v.Reason);
        Assert.Equal("test", v.Manifest!.Name);
    }

    [Fact]
    public void Verify_ModelFileTampered_RejectedNamingFile()
    {
        using var tmp = new TempDir();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (dir, pub) = SignedPackage(tmp, key);
        File.WriteAllBytes(Path.Combine(dir, "model.onnx"), [1, 2, 3, 5]);
        var v = PackageVerifier.Verify(dir, [pub]);
        Assert.False(v.Ok);
        Assert.Contains("model.onnx: SHA-256", v.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ManifestAndHashesRewritten_RejectedBySignature()
    {
        using var tmp = new TempDir();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (dir, pub) = SignedPackage(tmp, key);
        var sig = File.ReadAllText(Path.Combine(dir, PackageSignature.FileName));
        PackageBuilder.Write(dir, SampleManifest() with { Description = "swapped" }, [("fp32", "model.onnx", [9, 9])]);
        File.WriteAllText(Path.Combine(dir, PackageSignature.FileName), sig);
        var v = PackageVerifier.Verify(dir, [pub]);
        Assert.False(v.Ok);
        Assert.Contains("changed after signing", v.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SignedByUntrustedKey_Rejected()
    {
        using var tmp = new TempDir();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (dir, _) = SignedPackage(tmp, key);
        var otherPub = tmp.File("other.public.pem", other.ExportSubjectPublicKeyInfoPem());
        var v = PackageVerifier.Verify(dir, [otherPub]);
        Assert.False(v.Ok);
        Assert.Contains("does not verify under any of 1 trusted key", v.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_Unsigned_Rejected()
    {
        using var tmp = new TempDir();
        var dir = Directory.CreateDirectory(tmp.Combine("pkg")).FullName;
        PackageBuilder.Write(dir, SampleManifest(), [("fp32", "model.onnx", [1])]);
        var v = PackageVerifier.Verify(dir, []);
        Assert.False(v.Ok);
        Assert.Contains("not signed", v.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ManifestJson_RoundTrip_SameBytes()
    {
        var bytes = ManifestJson.Serialize(SampleManifest());
        var again = ManifestJson.Serialize(ManifestJson.Deserialize(bytes, "m"));
        Assert.Equal(bytes, again);
    }
}
