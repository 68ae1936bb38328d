namespace EdgeGateway.Uplink;

/// <summary>
/// Settings of the MQTT uplink (config section <c>Uplink</c>). Validated by <see cref="UplinkOptionsValidator"/>.
/// </summary>
public sealed class UplinkOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Uplink";

    /// <summary>Operator (airline) code, the third topic level. Required; letters, digits, '-' and '_' only.</summary>
    public string OperatorId { get; set; } = string.Empty;

    /// <summary>Gateway identifier, the fourth topic level and the default client id. Required; letters, digits, '-' and '_' only.</summary>
    public string GatewayId { get; set; } = string.Empty;

    /// <summary>
    /// Host name or address of the broker. When empty (the default) no broker is configured and the host runs an
    /// <see cref="EmbeddedBroker"/> on loopback (see <see cref="UseEmbeddedBroker"/>).
    /// </summary>
    public string? BrokerHost { get; set; }

    /// <summary>TCP port of the broker. Default 8883 (MQTT over TLS).</summary>
    public int BrokerPort { get; set; } = 8883;

    /// <summary>Permits an unencrypted connection to a configured broker. Default <c>false</c>: TLS is required.</summary>
    public bool AllowPlainTcp { get; set; }

    /// <summary>PEM file with the private CA certificate(s) the broker's certificate must chain to. Required for TLS.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>PEM file with this gateway's client certificate. Required for TLS.</summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>PEM file with the client certificate's private key (PKCS#8, RSA or EC). Required for TLS.</summary>
    public string? ClientKeyPath { get; set; }

    /// <summary>Name checked against the broker certificate; defaults to <see cref="BrokerHost"/>.</summary>
    public string? TargetHost { get; set; }

    /// <summary>MQTT client id; defaults to <see cref="GatewayId"/>. Must be stable so the persistent session is found again.</summary>
    public string? ClientId { get; set; }

    /// <summary>MQTT keep-alive; the supervisor also pings after this much idle time. Default 30 s.</summary>
    public TimeSpan KeepAlivePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a ping may go unanswered before the connection is treated as half-open and dropped. Default 10 s.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed for TCP, TLS and CONNACK. Default 15 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Time allowed for the PUBACKs of one batch; longer means a half-open connection. Default 30 s.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>MQTT 5 session expiry interval requested at connect (persistent session). Default 1 day.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>First reconnect delay; doubles per failed attempt up to <see cref="ReconnectMaxDelay"/>, with jitter. Default 1 s.</summary>
    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of the reconnect delay. Default 2 min.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Rate, in messages per second, at which replayed messages (those that waited through an outage or restart)
    /// are published. Live messages are not paced. Default 200.
    /// </summary>
    public double BacklogDrainRate { get; set; } = 200;

    /// <summary>Most QoS 1 publishes awaiting PUBACK at once; capped by the broker's receive maximum. Default 16.</summary>
    public int MaxInFlight { get; set; } = 16;

    /// <summary>Messages read from the outbox per page. Default 256.</summary>
    public int PublishBatchSize { get; set; } = 256;

    /// <summary>Interval between retained status messages (one is also sent at connect and after drops). Default 5 min.</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Software and model versions reported in the status message, e.g. <c>gateway</c>, <c>model</c>.</summary>
    public Dictionary<string, string> Versions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Loopback port of the embedded broker used when <see cref="BrokerHost"/> is empty. Default 1883.</summary>
    public int EmbeddedBrokerPort { get; set; } = 1883;

    /// <summary>True when no broker is configured and the host should start an <see cref="EmbeddedBroker"/>.</summary>
    public bool UseEmbeddedBroker => string.IsNullOrWhiteSpace(BrokerHost);

    /// <summary>The effective client id (<see cref="ClientId"/> or <see cref="GatewayId"/>).</summary>
    public string EffectiveClientId => string.IsNullOrWhiteSpace(ClientId) ? GatewayId : ClientId;
}
