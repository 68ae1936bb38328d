using System.Text.Json;
using EdgeGateway.Cli;
using EdgeGateway.Core.Arinc;

namespace EdgeGateway.Integration.Tests.Cli;

public class ArincDecodeCommandTests
{
    private static (int Rc, string[] Lines, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int rc = CommandLine.Run(["arinc", "decode", "--table", RepoPaths.A320Table, .. args], o, e);
        return (rc, o.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), e.ToString());
    }

    [Fact]
    public void Run_Eng2N1Word_PrintsDecodedJson()
    {
        // Label 346 reversed = 0x67, SDI 10, N1 85 % = data 0x15400, SSM 11, parity bit set (see codec tests).
        uint raw = ArincWord.WithOddParity(0x67u | (0b10u << 8) | (0x15400u << 10) | (0b11u << 29));
        var (rc, lines, _) = Run(raw.ToString("X8", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, rc);
        using var doc = JsonDocument.Parse(Assert.Single(lines));
        var r = doc.RootElement;
        Assert.Equal("346", r.GetProperty("label").GetString());
        Assert.Equal(2, r.GetProperty("sdi").GetInt32());
        Assert.Equal(3, r.GetProperty("ssm").GetInt32());
        Assert.True(r.GetProperty("parityOk").GetBoolean());
        Assert.Equal("N1", r.GetProperty("parameter").GetString());
        Assert.Equal(2, r.GetProperty("engine").GetInt32());
        Assert.Equal(85.0, r.GetProperty("value").GetDouble());
        Assert.Equal("%RPM", r.GetProperty("unit").GetString());
        Assert.Equal("NORMAL", r.GetProperty("status").GetString());
    }

    [Fact]
    public void Run_BadParityAndUnknownAndGarbage_ReportedPerWord()
    {
        var (rc, lines, _) = Run("0x00000267", "0x00000001", "xyz");
        Assert.Equal(ExitCodes.Usage, rc);
        Assert.Equal(3, lines.Length);
        using var bad = JsonDocument.Parse(lines[0]);
        Assert.False(bad.RootElement.GetProperty("parityOk").GetBoolean());
        Assert.False(bad.RootElement.TryGetProperty("parameter", out _));
        using var unknown = JsonDocument.Parse(lines[1]);
        Assert.False(unknown.RootElement.GetProperty("known").GetBoolean());
        using var garbage = JsonDocument.Parse(lines[2]);
        Assert.True(garbage.RootElement.TryGetProperty("error", out _));
    }

    [Fact]
    public void Run_MissingTable_ConfigErrorNamingFile()
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int rc = CommandLine.Run(["arinc", "decode", "--table", "/nope.json", "12345678"], o, e);
        Assert.Equal(ExitCodes.Config, rc);
        Assert.Contains("/nope.json", e.ToString(), StringComparison.Ordinal);
    }
}
