using System.Text.Json.Nodes;
using EdgeGateway.Core.Summaries;

namespace EdgeGateway.Core.Tests.Summaries;

public class FlightSummaryDocumentTests
{
    [Fact]
    public void Example_InDocument_RoundTripsThroughTheCode()
    {
        string doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "firmware-config", "flight-summary.md"));
        int start = doc.IndexOf("```json", StringComparison.Ordinal) + "```json".Length;
        int end = doc.IndexOf("```", start, StringComparison.Ordinal);
        string example = doc[start..end];

        var parsed = FlightSummaryJson.Parse(System.Text.Encoding.UTF8.GetBytes(example));
        Assert.Equal(FlightSummary.CurrentSchemaVersion, parsed.SchemaVersion);
        var written = JsonNode.Parse(FlightSummaryJson.ToUtf8(parsed));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(example), written), "the documented example and the code's JSON differ");
    }
}
