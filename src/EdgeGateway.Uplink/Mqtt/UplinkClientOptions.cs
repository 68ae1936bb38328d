using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeGateway.Uplink;

/// <summary>
/// Builds the MQTTnet client options from <see cref="UplinkOptions"/>: MQTT 5, persistent session with expiry,
/// retained Last Will on the status topic, and TLS 1.2+ with a client certificate, trust limited to the private CA
/// and host-name checking (plain TCP only when <see cref="UplinkOptions.AllowPlainTcp"/> or for the embedded broker).
/// </summary>
public static class UplinkClientOptions
{
    /// <summary>Creates client options for <paramref name="options"/>. PEM files are read here.</summary>
    /// <param name="options">Validated uplink options.</param>
    /// <param name="timeProvider">Clock used to spot a box that booted with an implausible time.</param>
    public static MqttClientOptions Create(UplinkOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var topics = new UplinkTopics(options.OperatorId, options.GatewayId);
        var builder = new MqttClientOptionsBuilder()
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(options.EffectiveClientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)options.SessionExpiry.TotalSeconds)
            .WithKeepAlivePeriod(options.KeepAlivePeriod)
            .WithTimeout(options.PublishTimeout)
            .WithWillTopic(topics.Status)
            .WithWillPayload(UplinkPayloads.SerializeLastWill(options.GatewayId))
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillContentType(UplinkPayloads.ContentType);

        if (options.UseEmbeddedBroker)
        {
            return builder.WithTcpServer("127.0.0.1", options.EmbeddedBrokerPort).Build();
        }

        builder.WithTcpServer(options.BrokerHost, options.BrokerPort);
        var useTls = !options.AllowPlainTcp || !string.IsNullOrWhiteSpace(options.ClientCertificatePath);
        if (!useTls)
        {
            return builder.Build();
        }

        var ca = new X509Certificate2Collection();
        ca.ImportFromPemFile(options.CaCertificatePath!);
        var client = LoadClientCertificate(options.ClientCertificatePath!, options.ClientKeyPath!);
        var targetHost = string.IsNullOrWhiteSpace(options.TargetHost) ? options.BrokerHost! : options.TargetHost;
        builder.WithTlsOptions(o => o
            .UseTls()
            .WithSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13)
            .WithTargetHost(targetHost)
            .WithClientCertificates([client])
            .WithTrustChain(ca)
            .WithCertificateValidationHandler(e => ValidateServerCertificate(e.Certificate, e.SslPolicyErrors, ca, timeProvider)));
        return builder.Build();
    }

    /// <summary>Loads a certificate and its PKCS#8 private key from PEM files.</summary>
    public static X509Certificate2 LoadClientCertificate(string certificatePath, string keyPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);

        // Round-trip through PKCS#12 so the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>
    /// Accepts the broker certificate only when it matches the target host and chains to one of
    /// <paramref name="trustedRoots"/> (and no other root). Revocation is not checked: a private CA on a gate
    /// network usually has no reachable CRL. When the wall clock is before <see cref="Outbox.MinimumPlausibleUtc"/>
    /// (no real-time clock yet) validity dates are ignored rather than refusing every certificate.
    /// </summary>
    public static bool ValidateServerCertificate(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection trustedRoots, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(trustedRoots);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var server = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustedRoots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var now = timeProvider.GetUtcNow();
        if (now < Outbox.MinimumPlausibleUtc)
        {
            chain.ChainPolicy.VerificationTimeIgnored = true;
        }
        else
        {
            chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        }

        return chain.Build(server);
    }
}
