using System.Text;
using System.Text.Json;

namespace EdgeGateway.Uplink.Tests;

public sealed class UplinkPayloadsTests
{
    [Fact]
    public void SerializeEnvelope_Entry_RoundTripsEveryField()
    {
        var id = Guid.CreateVersion7();
        var created = new DateTimeOffset(2026, 11, 26, 10, 41, 7, 250, TimeSpan.Zero);
        var entry = new OutboxEntry(7, MessageClass.Alert, id, created, "G-EZAB", "[\"ESN-1\"]", Encoding.UTF8.GetBytes("{\"score\":0.93}"));
        var parsed = UplinkPayloads.ParseEnvelope(UplinkPayloads.SerializeEnvelope(entry, "gw-1", replayed: true));

        Assert.Equal(UplinkPayloads.SchemaVersion, parsed.SchemaVersion);
        Assert.Equal(id, parsed.MessageId);
        Assert.Equal("gw-1", parsed.GatewayId);
        Assert.Equal(MessageClass.Alert, parsed.Class);
        Assert.Equal("G-EZAB", parsed.Tail);
        Assert.Equal(["ESN-1"], parsed.EngineSerials);
        Assert.True(parsed.Replayed);
        Assert.Equal(created, parsed.CreatedUtc);
        Assert.Equal(0.93, parsed.Body.GetProperty("score").GetDouble());
    }

    [Fact]
    public void ParseEnvelope_MissingField_Rejected()
    {
        var json = """{"schemaVersion":1,"messageId":"019ac0e5-7a10-7c3e-9d2b-3f4a5b6c7d8e","gatewayId":"g","class":"alert","tail":"T","engineSerials":[],"createdUtc":"2026-11-26T10:41:07.250Z","body":{}}""";
        Assert.Throws<JsonException>(() => UplinkPayloads.ParseEnvelope(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void SerializeLastWill_HasOnlyIdentityAndOffline()
    {
        using var doc = JsonDocument.Parse(UplinkPayloads.SerializeLastWill("gw-1"));
        Assert.Equal(["schemaVersion", "gatewayId", "online"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.False(doc.RootElement.GetProperty("online").GetBoolean());
    }

    [Theory]
    [InlineData(3600, 0, 3600)]
    [InlineData(3600, 600, 3000)]
    [InlineData(3600, 7200, 1)]
    [InlineData(3600, -600, 3600)]
    public void MessageExpirySeconds_Age_RemainingTimeToLive(int ttlSeconds, int ageSeconds, uint expected)
    {
        var now = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal(expected, UplinkSupervisor.MessageExpirySeconds(TimeSpan.FromSeconds(ttlSeconds), now.AddSeconds(-ageSeconds), now));
    }

    [Fact]
    public void UplinkTopics_Gateway_OneSubtree()
    {
        var topics = new UplinkTopics("acme", "gw-1");
        Assert.Equal("fleet/v1/acme/gw-1/alert", topics.For(MessageClass.Alert));
        Assert.Equal("fleet/v1/acme/gw-1/summary", topics.For(MessageClass.Summary));
        Assert.Equal("fleet/v1/acme/gw-1/telemetry", topics.For(MessageClass.Telemetry));
        Assert.Equal("fleet/v1/acme/gw-1/status", topics.Status);
        Assert.Equal("fleet/v1/acme/gw-1/#", topics.Subtree);
        Assert.Throws<ArgumentException>(() => new UplinkTopics("acme", "gw/+"));
    }
}
