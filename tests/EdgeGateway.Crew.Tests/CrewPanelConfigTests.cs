using System.Text;

namespace EdgeGateway.Crew.Tests;

public sealed class CrewPanelConfigTests
{
    private const string Valid = """
        {
          "formatVersion": 1,
          "pins": { "amberLamp": 17, "redLamp": 27, "buzzer": 22, "acknowledgeButton": 23 },
          "button": { "pull": "up", "externalResistor": false, "debounceMilliseconds": 50 },
          "lcd": { "i2cBus": 1, "i2cAddress": "0x27" },
          "lampTest": { "durationMilliseconds": 2000 }
        }
        """;

    [Fact]
    public void Load_ShippedFile_Valid()
    {
        var options = CrewPanelConfig.Load(Path.Combine(RepoPaths.Root, "firmware-config", "crew-panel.json"));

        Assert.Empty(options.Validate());
        Assert.InRange(options.LcdI2cAddress, 0x20, 0x27);
    }

    [Fact]
    public void Parse_Valid_AllSettingsRead()
    {
        var o = Parse(Valid.Replace("\"0x27\"", "\"0x21\"", StringComparison.Ordinal).Replace("\"up\"", "\"down\"", StringComparison.Ordinal));

        Assert.Equal((17, 27, 22, 23), (o.AmberLampPin, o.RedLampPin, o.BuzzerPin, o.AcknowledgeButtonPin));
        Assert.Equal(ButtonPull.Down, o.ButtonPull);
        Assert.Equal(TimeSpan.FromMilliseconds(50), o.ButtonDebounce);
        Assert.Equal((1, 0x21), (o.LcdI2cBus, o.LcdI2cAddress));
        Assert.Equal(TimeSpan.FromSeconds(2), o.LampTestDuration);
    }

    [Theory]
    [InlineData("\"redLamp\": 27", "\"redLamp\": 40", "pins.redLamp = 40: allowed GPIO 4-27")]
    [InlineData("\"redLamp\": 27", "\"redLamp\": 2", "pins.redLamp = 2: allowed GPIO 4-27 (0-1 are the HAT ID EEPROM lines, 2-3 the I2C bus of the display)")]
    [InlineData("\"buzzer\": 22", "\"buzzer\": 17", "pins.buzzer = 17: already used by pins.amberLamp")]
    [InlineData("\"0x27\"", "\"0x3F\"", "lcd.i2cAddress = 0x3F: allowed 0x20-0x27 (PCF8574, set by the A2..A0 jumpers); 0x38-0x3F is a PCF8574A")]
    [InlineData("\"0x27\"", "16", "lcd.i2cAddress = 0x10: allowed 0x20-0x27")]
    [InlineData("\"0x27\"", "\"27h\"", "lcd.i2cAddress = \"27h\": allowed a hexadecimal string such as \"0x27\" or a whole number")]
    [InlineData("\"i2cBus\": 1", "\"i2cBus\": 99", "lcd.i2cBus = 99: allowed 0-31")]
    [InlineData("\"durationMilliseconds\": 2000", "\"durationMilliseconds\": 60000", "lampTest.durationMilliseconds = 60000: allowed 200-10000")]
    [InlineData("\"debounceMilliseconds\": 50", "\"debounceMilliseconds\": 900", "button.debounceMilliseconds = 900: allowed 0-500")]
    [InlineData("\"up\"", "\"sideways\"", "button.pull = \"sideways\": allowed \"up\" or \"down\"")]
    [InlineData("\"amberLamp\": 17", "\"amberLamp\": \"17\"", "pins.amberLamp = \"17\": allowed a whole number")]
    [InlineData("\"amberLamp\": 17", "\"amberLamp\": 17, \"greenLamp\": 5", "pins.greenLamp is not a setting: allowed in pins are amberLamp, redLamp, buzzer, acknowledgeButton")]
    [InlineData("\"formatVersion\": 1", "\"formatVersion\": 2", "formatVersion = 2: allowed 1")]
    [InlineData("\"amberLamp\": 17, ", "", "pins.amberLamp is missing")]
    public void Parse_BadSetting_MessageNamesSettingValueAndAllowed(string find, string replace, string expected)
    {
        var e = Assert.Throws<CrewPanelConfigException>(() => Parse(Valid.Replace(find, replace, StringComparison.Ordinal)));

        Assert.Contains(e.Problems, p => p.StartsWith(expected, StringComparison.Ordinal));
        Assert.Contains("crew-panel.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralProblems_AllListed()
    {
        string json = Valid.Replace("\"buzzer\": 22", "\"buzzer\": 27", StringComparison.Ordinal).Replace("\"0x27\"", "\"0x50\"", StringComparison.Ordinal);

        var e = Assert.Throws<CrewPanelConfigException>(() => Parse(json));

        Assert.Equal(2, e.Problems.Count);
    }

    [Fact]
    public void Parse_NotJson_SaysSo()
    {
        var e = Assert.Throws<CrewPanelConfigException>(() => Parse("{ pins: "));

        Assert.StartsWith("not valid JSON", Assert.Single(e.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_SaysCannotBeRead()
    {
        var e = Assert.Throws<CrewPanelConfigException>(() => CrewPanelConfig.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "crew-panel.json")));

        Assert.StartsWith("file cannot be read", Assert.Single(e.Problems), StringComparison.Ordinal);
    }

    private static CrewPanelOptions Parse(string json) => CrewPanelConfig.Parse(Encoding.UTF8.GetBytes(json), "crew-panel.json");
}
