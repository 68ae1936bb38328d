using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EdgeGateway.Uplink.Tests;

/// <summary>Pins firmware-config/mqtt-topics-and-payloads.md to the code: every example parses and re-serializes identically.</summary>
public sealed partial class MqttTopicsAndPayloadsDocTests
{
    private static readonly string s_doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "firmware-config", "mqtt-topics-and-payloads.md"));

    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        var index = 0;
        foreach (Match m in ExampleBlock().Matches(s_doc))
        {
            data.Add(m.Groups["kind"].Value, index++);
        }

        return data;
    }

    [Fact]
    public void Document_HasEnvelopeAndStatusExamples()
    {
        var kinds = ExampleBlock().Matches(s_doc).Select(m => m.Groups["kind"].Value).ToList();
        Assert.Contains("envelope", kinds);
        Assert.Contains("status", kinds);
        Assert.True(kinds.Count >= 5);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_ParsedAndSerializedByCode_IsIdentical(string kind, int index)
    {
        var text = ExampleBlock().Matches(s_doc)[index].Groups["json"].Value;
        var bytes = Encoding.UTF8.GetBytes(text);
        var written = kind == "envelope"
            ? UplinkPayloads.SerializeEnvelope(UplinkPayloads.ParseEnvelope(bytes))
            : UplinkPayloads.SerializeStatus(UplinkPayloads.ParseStatus(bytes));
        Assert.Equal(Compact(bytes), Compact(written));
    }

    [Fact]
    public void Document_LastWillExample_EqualsCodeLastWill()
    {
        var will = ExampleBlock().Matches(s_doc).Select(m => m.Groups["json"].Value).Single(j => j.Contains("\"online\": false", StringComparison.Ordinal));
        var gateway = UplinkPayloads.ParseStatus(Encoding.UTF8.GetBytes(will)).GatewayId;
        Assert.Equal(Compact(Encoding.UTF8.GetBytes(will)), Compact(UplinkPayloads.SerializeLastWill(gateway)));
    }

    [Fact]
    public void Document_TopicTree_MatchesUplinkTopics()
    {
        var topics = new UplinkTopics("operator", "gatewayId");
        foreach (var c in MessageClasses.All)
        {
            Assert.Contains(topics.For(c).Replace("operator", "{operator}", StringComparison.Ordinal).Replace("gatewayId", "{gatewayId}", StringComparison.Ordinal), s_doc, StringComparison.Ordinal);
        }

        Assert.Contains("fleet/v1/{operator}/{gatewayId}/status", s_doc, StringComparison.Ordinal);
        Assert.Contains($"`{UplinkSupervisor.SchemaVersionProperty}`", s_doc, StringComparison.Ordinal);
        Assert.Contains($"`{UplinkSupervisor.MessageIdProperty}`", s_doc, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseEnvelope_UnknownField_Rejected()
    {
        var text = ExampleBlock().Matches(s_doc).First(m => m.Groups["kind"].Value == "envelope").Groups["json"].Value;
        var tampered = text.Replace("\"schemaVersion\": 1,", "\"schemaVersion\": 1, \"extra\": true,", StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => UplinkPayloads.ParseEnvelope(Encoding.UTF8.GetBytes(tampered)));
    }

    private static string Compact(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(doc.RootElement);
    }

    [GeneratedRegex("```json (?<kind>envelope|status)\\n(?<json>.*?)```", RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();
}
