namespace EdgeGateway.Uplink.Tests;

public sealed class UplinkOptionsValidatorTests
{
    private readonly UplinkOptionsValidator _validator = new();

    private static UplinkOptions Embedded() => new() { OperatorId = "acme", GatewayId = "gw-1" };

    [Fact]
    public void Validate_EmbeddedDefaults_Succeeds()
    {
        Assert.True(_validator.Validate(null, Embedded()).Succeeded);
        Assert.True(_validator.Validate(null, new OutboxOptions { DatabasePath = "/var/lib/edgegateway/outbox.db" }).Succeeded);
    }

    [Theory]
    [InlineData("", "Uplink:GatewayId is ''")]
    [InlineData("gw/1", "Uplink:GatewayId is 'gw/1'")]
    [InlineData("gw+", "Uplink:GatewayId is 'gw+'")]
    [InlineData("gw#", "Uplink:GatewayId is 'gw#'")]
    public void Validate_GatewayIdNotATopicLevel_FailsNamingSettingAndValue(string gatewayId, string expected)
    {
        var options = Embedded();
        options.GatewayId = gatewayId;
        var result = _validator.Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BrokerWithoutTlsFiles_FailsUnlessPlainTcpAllowed()
    {
        var options = Embedded();
        options.BrokerHost = "broker.fleet.example";
        var result = _validator.Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("Uplink:CaCertificatePath is empty", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Uplink:ClientCertificatePath is empty", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Uplink:ClientKeyPath is empty", result.FailureMessage, StringComparison.Ordinal);

        options.AllowPlainTcp = true;
        Assert.True(_validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_MissingPemFile_NamesPath()
    {
        var options = Embedded();
        options.BrokerHost = "broker";
        options.CaCertificatePath = "/nonexistent/ca.pem";
        var result = _validator.Validate(null, options);
        Assert.Contains("Uplink:CaCertificatePath is '/nonexistent/ca.pem', which does not exist", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CrossFieldAndRanges_ReportEveryProblem()
    {
        var options = Embedded();
        options.ReconnectInitialDelay = TimeSpan.FromMinutes(5);
        options.ReconnectMaxDelay = TimeSpan.FromMinutes(1);
        options.BacklogDrainRate = 0;
        options.MaxInFlight = 0;
        options.KeepAlivePeriod = TimeSpan.Zero;
        options.EmbeddedBrokerPort = 70000;
        var result = _validator.Validate(null, options);
        Assert.Contains("Uplink:ReconnectMaxDelay is 00:01:00; allowed: at least Uplink:ReconnectInitialDelay (00:05:00)", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Uplink:BacklogDrainRate is 0", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Uplink:MaxInFlight is 0", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Uplink:KeepAlivePeriod is 00:00:00", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Uplink:EmbeddedBrokerPort is 70000", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OutboxNonPositiveTimeToLive_Fails()
    {
        var result = _validator.Validate(null, new OutboxOptions { DatabasePath = "x.db", TelemetryTimeToLive = TimeSpan.Zero, MaxWriteBatch = 0 });
        Assert.Contains("Outbox:TelemetryTimeToLive is 00:00:00", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Outbox:MaxWriteBatch is 0", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        using var dir = new Infrastructure.TempDirectory();
        using var outbox = Outbox.Open(new OutboxOptions { DatabasePath = dir.File("o.db") });
        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new UplinkSupervisor(new UplinkOptions(), outbox));
        Assert.Contains("Uplink:OperatorId is ''", ex.Message, StringComparison.Ordinal);
    }
}
