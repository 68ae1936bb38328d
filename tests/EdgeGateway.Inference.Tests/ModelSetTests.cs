using System.Security.Cryptography;
using EdgeGateway.Core.Models;
using EdgeGateway.Inference.Packages;

namespace EdgeGateway.Inference.Tests;

public sealed class ModelSetTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly string _good;
    private readonly string _keys;

    public ModelSetTests()
    {
        _good = _dir.Sub("source");
        _keys = _dir.Sub("keys");
        TestPackages.WriteAnomaly(_good, _keys);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_SignedPackage_LoadsAndPassesSelfTest()
    {
        using var set = ModelSet.Load(_good, _keys, new InferenceOptions());
        Assert.False(set.Degraded);
        Assert.NotNull(set.Anomaly);
        Assert.Equal("int8", set.Anomaly!.ScoringFile.Role);
        Assert.True(set.Anomaly.SelfTestError <= 1e-4);
        Assert.Equal("ok", Assert.Single(set.Statuses).Message);
    }

    [Fact]
    public void Load_OneByteChanged_RefusedWithHashMessage()
    {
        var copy = TestPackages.Copy(_good, _dir.Sub("models/tampered"));
        var onnx = Path.Combine(copy, "anomaly.int8.onnx");
        var bytes = File.ReadAllBytes(onnx);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(onnx, bytes);

        using var set = ModelSet.Load(Path.GetDirectoryName(copy)!, _keys, new InferenceOptions());
        Assert.True(set.Degraded);
        var status = Assert.Single(set.Statuses);
        Assert.False(status.Loaded);
        Assert.Contains("anomaly.int8.onnx: SHA-256", status.Message, StringComparison.Ordinal);
        Assert.Contains("does not match the manifest", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Unsigned_RefusedAsNotSigned()
    {
        var copy = TestPackages.Copy(_good, _dir.Sub("models/unsigned"));
        File.Delete(Path.Combine(copy, PackageSignature.FileName));

        using var set = ModelSet.Load(copy, _keys, new InferenceOptions());
        Assert.True(set.Degraded);
        Assert.Contains("package is not signed", Assert.Single(set.Statuses).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SignedByUnknownKey_RefusedNamingTheKey()
    {
        var copy = TestPackages.Copy(_good, _dir.Sub("models/stranger"));
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        PackageSignature.Sign(copy, stranger);

        using var set = ModelSet.Load(copy, _keys, new InferenceOptions());
        Assert.True(set.Degraded);
        var message = Assert.Single(set.Statuses).Message;
        Assert.Contains($"signature by key {PackageSignature.KeyIdOf(stranger)} does not verify under any of 1 trusted key(s)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SelfTestExpectationWrong_RefusedAsSelfTestFailure()
    {
        // A correctly signed package whose model does not give the manifest's self-test output.
        var copy = TestPackages.Copy(_good, _dir.Sub("models/selftest"));
        var manifestPath = Path.Combine(copy, PackageSignature.ManifestFileName);
        var manifest = ManifestJson.Deserialize(File.ReadAllBytes(manifestPath), manifestPath);
        var wrong = manifest with { SelfTest = manifest.SelfTest with { Expected = [manifest.SelfTest.Expected[0] + 1f] } };
        File.WriteAllBytes(manifestPath, ManifestJson.Serialize(wrong));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        PackageSignature.Sign(copy, key);
        File.WriteAllText(Path.Combine(_keys, "second.pem"), key.ExportSubjectPublicKeyInfoPem());

        using var set = ModelSet.Load(copy, _keys, new InferenceOptions());
        Assert.True(set.Degraded);
        var message = Assert.Single(set.Statuses).Message;
        Assert.Contains("self-test failed: anomaly.onnx output[0]", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(0)]
    public void Load_AnomalyManifestWithMinimumRows_RefusedNamingTheField(int minimumRows)
    {
        // Only a RUL package pads its window; an anomaly window padded from fewer rows would score data that never came.
        var copy = TestPackages.Copy(_good, _dir.Sub($"models/min{minimumRows}"));
        var manifestPath = Path.Combine(copy, PackageSignature.ManifestFileName);
        var manifest = ManifestJson.Deserialize(File.ReadAllBytes(manifestPath), manifestPath);
        File.WriteAllBytes(manifestPath, ManifestJson.Serialize(manifest with { Input = manifest.Input with { MinimumRows = minimumRows } }));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        PackageSignature.Sign(copy, key);
        File.WriteAllText(Path.Combine(_keys, "second.pem"), key.ExportSubjectPublicKeyInfoPem());

        using var set = ModelSet.Load(copy, _keys, new InferenceOptions());
        Assert.True(set.Degraded);
        Assert.Null(set.Anomaly);
        Assert.Contains($"input minimumRows {minimumRows} out of range", Assert.Single(set.Statuses).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Manifest_WithoutMinimumRows_WritesNoSuchField()
    {
        var manifestPath = Path.Combine(_good, PackageSignature.ManifestFileName);
        var manifest = ManifestJson.Deserialize(File.ReadAllBytes(manifestPath), manifestPath);
        Assert.Null(manifest.Input.MinimumRows);
        Assert.DoesNotContain("minimumRows", System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(manifestPath)), StringComparison.Ordinal);
        var padded = ManifestJson.Serialize(manifest with { Input = manifest.Input with { MinimumRows = 7 } });
        Assert.Equal(7, ManifestJson.Deserialize(padded, "padded").Input.MinimumRows);
    }

    [Fact]
    public void Reload_NewPackageTampered_KeepsLastGoodPackage()
    {
        var models = _dir.Sub("models");
        var installed = TestPackages.Copy(_good, Path.Combine(models, "anomaly"));
        using var set = ModelSet.Load(models, _keys, new InferenceOptions());
        var before = set.Anomaly;
        Assert.NotNull(before);

        File.AppendAllText(Path.Combine(installed, "anomaly.onnx"), "x");
        set.Reload(models, _keys);

        Assert.Same(before, set.Anomaly);
        Assert.Contains(set.Statuses, s => s.Loaded && s.Message.StartsWith("kept last good package", StringComparison.Ordinal));
        Assert.Contains(set.Statuses, s => !s.Loaded && s.Message.Contains("anomaly.onnx: SHA-256", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_NoPackages_DegradedWithStatus()
    {
        using var set = ModelSet.Load(_dir.Sub("empty"), _keys, new InferenceOptions());
        Assert.True(set.Degraded);
        Assert.Null(set.Anomaly);
        Assert.Null(set.Rul);
        Assert.StartsWith("degraded", set.StatusLine, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadThreadCount_NamesSettingAndValue()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ModelSet(new InferenceOptions { IntraOpThreads = 0 }));
        Assert.Contains("Inference:IntraOpThreads = 0", e.Message, StringComparison.Ordinal);
    }
}
