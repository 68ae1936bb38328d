namespace EdgeGateway.Uplink;

/// <summary>
/// The topic tree: <c>fleet/v1/{operator}/{gatewayId}/{alert|summary|telemetry|status}</c>. One subtree per
/// gateway so a broker ACL can confine each gateway's certificate to it.
/// </summary>
public sealed class UplinkTopics
{
    /// <summary>First two levels of every topic; the <c>v1</c> changes only with an incompatible topic layout.</summary>
    public const string Root = "fleet/v1";

    /// <summary>Creates the topics of one gateway.</summary>
    /// <exception cref="ArgumentException">An id is not a valid topic level (see <see cref="UplinkOptionsValidator.IsValidId"/>).</exception>
    public UplinkTopics(string operatorId, string gatewayId)
    {
        if (!UplinkOptionsValidator.IsValidId(operatorId))
        {
            throw new ArgumentException($"Operator id '{operatorId}' is not a valid topic level.", nameof(operatorId));
        }

        if (!UplinkOptionsValidator.IsValidId(gatewayId))
        {
            throw new ArgumentException($"Gateway id '{gatewayId}' is not a valid topic level.", nameof(gatewayId));
        }

        Prefix = $"{Root}/{operatorId}/{gatewayId}";
        Status = Prefix + "/status";
        Subtree = Prefix + "/#";
        _byClass = [.. MessageClasses.All.Select(c => Prefix + "/" + c.ToWireName())];
    }

    private readonly string[] _byClass;

    /// <summary><c>fleet/v1/{operator}/{gatewayId}</c>.</summary>
    public string Prefix { get; }

    /// <summary>The retained status topic (also the Last Will topic).</summary>
    public string Status { get; }

    /// <summary>Filter matching everything this gateway publishes.</summary>
    public string Subtree { get; }

    /// <summary>Topic of messages of <paramref name="messageClass"/>.</summary>
    public string For(MessageClass messageClass) => _byClass[(int)messageClass];
}
