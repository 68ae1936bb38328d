using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeGateway.Uplink.Tests.Infrastructure;

/// <summary>
/// A private PKI generated for one test: a CA, a server certificate for 127.0.0.1/localhost, client certificates
/// whose common name is the MQTT identity, and a second unrelated CA. Everything is written as PEM files.
/// </summary>
public sealed class TestCertificates
{
    private readonly string _folder;
    private readonly X509Certificate2 _ca;
    private readonly X509Certificate2 _otherCa;

    public TestCertificates(string folder)
    {
        _folder = folder;
        _ca = CreateCa("EdgeGateway Test Fleet CA");
        _otherCa = CreateCa("Unrelated CA");
        CaPath = WriteCertificate("ca.pem", _ca);
        OtherCaPath = WriteCertificate("other-ca.pem", _otherCa);
        var server = Issue(_ca, "localhost", server: true);
        ServerCertPath = WriteCertificate("server.pem", server);
        ServerKeyPath = WriteKey("server.key", server);
    }

    public string CaPath { get; }

    public string OtherCaPath { get; }

    public string ServerCertPath { get; }

    public string ServerKeyPath { get; }

    /// <summary>Issues a client certificate with CN <paramref name="identity"/>; returns the PEM paths.</summary>
    public (string Cert, string Key) IssueClient(string identity, bool fromOtherCa = false)
    {
        var cert = Issue(fromOtherCa ? _otherCa : _ca, identity, server: false);
        var prefix = (fromOtherCa ? "other-" : string.Empty) + identity;
        return (WriteCertificate(prefix + ".pem", cert), WriteKey(prefix + ".key", cert));
    }

    private static X509Certificate2 CreateCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string commonName, bool server)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [server ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (server)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), serial);
        return issued.CopyWithPrivateKey(key);
    }

    private string WriteCertificate(string name, X509Certificate2 cert)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, cert.ExportCertificatePem() + "\n");
        return path;
    }

    private string WriteKey(string name, X509Certificate2 cert)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, cert.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n");
        return path;
    }
}
