using System.Text;
using EdgeGateway.Core.Arinc;

namespace EdgeGateway.Core.Tests.Arinc;

public class LabelTableTests
{
    private static LabelTable Shipped => LabelTableLoader.Load(RepoPaths.A320Table);

    [Fact]
    public void Load_ShippedA320_HasEveryEngineParameterForBothEngines()
    {
        var t = Shipped;
        string[] required = ["N1", "N2", "EGT", "FuelFlow", "OilPressure", "OilTemperature", "OilQuantity", "N1Vibration", "N2Vibration", "SerialHigh", "SerialLow"];
        foreach (int engine in new[] { 1, 2 })
        {
            foreach (string p in required)
            {
                Assert.True(t.FindChannel(engine, p) >= 0, $"ENG{engine} {p} missing");
            }
        }

        Assert.Equal(64, t.Info.Sha256.Length);
    }

    [Fact]
    public void Decode_Eng2N1Word_HandBuilt()
    {
        // Label 346 (reversed 0x67), SDI 10 (engine 2), SSM 11, N1 = 85 % -> data 0x15400 (see BnrTests).
        uint raw = ArincWord.WithOddParity(0x67u | (0b10u << 8) | (0x15400u << 10) | (0b11u << 29));
        var t = Shipped;
        Span<DecodedValue> values = stackalloc DecodedValue[t.MaxFieldsPerWord];
        Assert.Equal(DecodeOutcome.Decoded, t.Decode(raw, values, out int n));
        Assert.Equal(1, n);
        var ch = t.Channels[values[0].ChannelId];
        Assert.Equal(2, ch.EnginePosition);
        Assert.Equal("N1", ch.Parameter);
        Assert.Equal(85.0, values[0].Value);
        Assert.Equal(WordStatus.Normal, values[0].Status);
        Assert.Equal(ValueChecks.None, values[0].Checks);
    }

    [Fact]
    public void Decode_ParityFlipped_IsParityError()
    {
        var t = Shipped;
        uint good = t.Encode(t.FindChannel(1, "EGT"), 640);
        Span<DecodedValue> values = stackalloc DecodedValue[4];
        Assert.Equal(DecodeOutcome.ParityError, t.Decode(good ^ 0x8000_0000, values, out _));
    }

    [Fact]
    public void Decode_UnknownLabelOrSdi_IsUnknown()
    {
        var t = Shipped;
        Span<DecodedValue> values = stackalloc DecodedValue[4];
        Assert.Equal(DecodeOutcome.UnknownLabel, t.Decode(ArincWord.Create(1 /* 001 octal */, 0, 0, 0).Raw, values, out _));
        Assert.Equal(DecodeOutcome.UnknownLabel, t.Decode(ArincWord.Create(230 /* 346 octal */, 3, 0, 3).Raw, values, out _));
    }

    [Fact]
    public void Decode_OutOfValidRange_Flagged()
    {
        var t = Shipped;
        int ch = t.FindChannel(1, "N1");
        Span<DecodedValue> values = stackalloc DecodedValue[4];
        t.Decode(t.Encode(ch, 130), values, out _);
        Assert.Equal(ValueChecks.OutOfRange, values[0].Checks);
    }

    [Fact]
    public void Decode_NcdWord_StatusReported()
    {
        var t = Shipped;
        int ch = t.FindChannel(1, "N2");
        Span<DecodedValue> values = stackalloc DecodedValue[4];
        t.Decode(t.Encode(ch, 0, WordStatus.NoComputedData), values, out _);
        Assert.Equal(WordStatus.NoComputedData, values[0].Status);
    }

    [Fact]
    public void EncodeDecode_SerialNumberBcd_RoundTrips()
    {
        var t = Shipped;
        int hi = t.FindChannel(2, "SerialHigh");
        Span<DecodedValue> values = stackalloc DecodedValue[4];
        t.Decode(t.Encode(hi, 779), values, out _);
        Assert.Equal(779, values[0].Value);
    }

    private static LabelTableException Reject(string entries)
    {
        string json = $$"""{"formatVersion":1,"name":"t","aircraftType":"A","engineType":"E","engineCount":2,"entries":[{{entries}}]}""";
        return Assert.Throws<LabelTableException>(() => LabelTableLoader.Parse(Encoding.UTF8.GetBytes(json), "bad.json"));
    }

    private const string N1 = """{"label":"346","engines":{"01":1,"10":2},"expectedRateHz":16,"staleAfterMs":500,"provenance":"public","reference":"r","fields":[{"parameter":"N1","encoding":"BNR","range":256,"significantBits":14,"unit":"%","validMin":0,"validMax":120}]}""";

    [Fact]
    public void Parse_OverlappingBitSpan_RejectedNamingBoth()
    {
        var e = Reject("""{"label":"270","expectedRateHz":2,"staleAfterMs":1000,"provenance":"placeholder","reference":"r","fields":[{"parameter":"A","encoding":"DIS","firstBit":11,"lastBit":14,"validMin":0,"validMax":15},{"parameter":"B","encoding":"DIS","firstBit":14,"lastBit":16,"validMin":0,"validMax":7}]}""");
        var line = Assert.Single(e.Problems);
        Assert.Contains("label 270", line, StringComparison.Ordinal);
        Assert.Contains("overlapping-bits", line, StringComparison.Ordinal);
        Assert.Contains("'A'", line, StringComparison.Ordinal);
        Assert.Contains("'B'", line, StringComparison.Ordinal);
        Assert.Contains("bad.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingField_RejectedNamingEntryAndField()
    {
        var e = Reject(N1.Replace("\"staleAfterMs\":500,", "", StringComparison.Ordinal));
        var line = Assert.Single(e.Problems);
        Assert.Equal("entry #0 (label 346): rule missing-field: 'staleAfterMs' (number) is required", line);
    }

    [Fact]
    public void Parse_SdiClash_TwoEntriesOnOneSdi_Rejected()
    {
        string vib = N1.Replace("\"N1\"", "\"N1Vibration\"", StringComparison.Ordinal);
        var e = Reject(N1 + "," + vib);
        Assert.Contains(e.Problems, p => p.Contains("rule sdi-clash", StringComparison.Ordinal) && p.Contains("label 346", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_SdiClash_OneEngineOnTwoSdis_Rejected()
    {
        var e = Reject(N1.Replace("\"10\":2", "\"10\":1", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("rule sdi-clash", StringComparison.Ordinal) && p.Contains("engine 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_SeveralProblems_AllReported()
    {
        var e = Reject(N1.Replace("\"346\"", "\"389\"", StringComparison.Ordinal).Replace("\"significantBits\":14", "\"significantBits\":19", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("label-octal", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("bnr-bits", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_MissingFile_ClearError()
    {
        var e = Assert.Throws<LabelTableException>(() => LabelTableLoader.Load("/nonexistent/table.json"));
        Assert.Contains("/nonexistent/table.json", e.Message, StringComparison.Ordinal);
    }
}
