using System.Globalization;

namespace EdgeGateway.Crew;

/// <summary>Which way the acknowledge button's input is pulled when the button is not pressed.</summary>
public enum ButtonPull
{
    /// <summary>Pulled up; pressing connects the pin to ground (reads low).</summary>
    Up = 0,

    /// <summary>Pulled down; pressing connects the pin to 3.3 V (reads high).</summary>
    Down = 1,
}

/// <summary>
/// Wiring and timing of the crew panel: two lamps, a buzzer, an acknowledge button and a 20x4
/// character display on an I2C PCF8574 backpack. Loaded from <c>firmware-config/crew-panel.json</c>
/// by <see cref="CrewPanelConfig"/>; the format and the wiring table are in
/// <c>firmware-config/crew-panel.md</c>. Pin numbers are the GPIO controller's logical numbers
/// (BCM numbers on a Raspberry Pi-compatible 40-pin header). Outputs are active high.
/// </summary>
public sealed class CrewPanelOptions
{
    /// <summary>Lowest GPIO number a panel device may use: 0-1 are the HAT ID EEPROM lines, 2-3 the I2C-1 bus of the display.</summary>
    public const int MinPin = 4;

    /// <summary>Highest GPIO number on the 40-pin header.</summary>
    public const int MaxPin = 27;

    /// <summary>Lowest address of a PCF8574 (A2..A0 all low).</summary>
    public const int MinPcf8574Address = 0x20;

    /// <summary>Highest address of a PCF8574 (A2..A0 all high).</summary>
    public const int MaxPcf8574Address = 0x27;

    /// <summary>Highest Linux I2C bus number accepted (<c>/dev/i2c-N</c>).</summary>
    public const int MaxI2cBus = 31;

    /// <summary>Longest accepted button debounce.</summary>
    public static readonly TimeSpan MaxButtonDebounce = TimeSpan.FromMilliseconds(500);

    /// <summary>Shortest accepted lamp test: long enough to be seen.</summary>
    public static readonly TimeSpan MinLampTestDuration = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest accepted lamp test: start-up must not wait on it.</summary>
    public static readonly TimeSpan MaxLampTestDuration = TimeSpan.FromSeconds(10);

    /// <summary>GPIO driving the amber (caution) lamp. Default 17.</summary>
    public int AmberLampPin { get; set; } = 17;

    /// <summary>GPIO driving the red (warning) lamp. Default 27.</summary>
    public int RedLampPin { get; set; } = 27;

    /// <summary>GPIO driving the buzzer. Default 22.</summary>
    public int BuzzerPin { get; set; } = 22;

    /// <summary>GPIO reading the acknowledge button. Default 23.</summary>
    public int AcknowledgeButtonPin { get; set; } = 23;

    /// <summary>Pull direction of the button input. Default <see cref="ButtonPull.Up"/> (button to ground).</summary>
    public ButtonPull ButtonPull { get; set; } = ButtonPull.Up;

    /// <summary>True when the board has its own pull resistor, so the pin is configured as plain input. Default false.</summary>
    public bool ButtonHasExternalResistor { get; set; }

    /// <summary>Transitions within this time after a release are ignored (contact bounce). Default 50 ms.</summary>
    public TimeSpan ButtonDebounce { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Linux I2C bus of the display backpack (<c>/dev/i2c-N</c>). Default 1.</summary>
    public int LcdI2cBus { get; set; } = 1;

    /// <summary>7-bit I2C address of the PCF8574 backpack, 0x20-0x27. Default 0x27.</summary>
    public int LcdI2cAddress { get; set; } = 0x27;

    /// <summary>How long both lamps and the buzzer stay on at start-up. Default 2 s.</summary>
    public TimeSpan LampTestDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Checks every setting and returns one line per problem, each naming the setting (as it is
    /// spelled in the JSON file), the value and what is allowed. Empty when the options are valid.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        var pins = new (string Setting, int Pin)[]
        {
            ("pins.amberLamp", AmberLampPin),
            ("pins.redLamp", RedLampPin),
            ("pins.buzzer", BuzzerPin),
            ("pins.acknowledgeButton", AcknowledgeButtonPin),
        };

        for (int i = 0; i < pins.Length; i++)
        {
            var (setting, pin) = pins[i];
            if (pin is < MinPin or > MaxPin)
            {
                problems.Add(Invariant($"{setting} = {pin}: allowed GPIO {MinPin}-{MaxPin} (0-1 are the HAT ID EEPROM lines, 2-3 the I2C bus of the display)"));
                continue;
            }

            for (int j = 0; j < i; j++)
            {
                if (pins[j].Pin == pin)
                {
                    problems.Add(Invariant($"{setting} = {pin}: already used by {pins[j].Setting}; each device needs its own GPIO"));
                }
            }
        }

        if (!Enum.IsDefined(ButtonPull))
        {
            problems.Add(Invariant($"button.pull = {ButtonPull}: allowed \"up\" or \"down\""));
        }

        if (ButtonDebounce < TimeSpan.Zero || ButtonDebounce > MaxButtonDebounce)
        {
            problems.Add(Invariant($"button.debounceMilliseconds = {ButtonDebounce.TotalMilliseconds}: allowed 0-{MaxButtonDebounce.TotalMilliseconds}"));
        }

        if (LcdI2cBus is < 0 or > MaxI2cBus)
        {
            problems.Add(Invariant($"lcd.i2cBus = {LcdI2cBus}: allowed 0-{MaxI2cBus} (/dev/i2c-N)"));
        }

        if (LcdI2cAddress is < MinPcf8574Address or > MaxPcf8574Address)
        {
            string hint = LcdI2cAddress is >= 0x38 and <= 0x3F ? "; 0x38-0x3F is a PCF8574A, which this panel does not use" : "";
            problems.Add(Invariant($"lcd.i2cAddress = 0x{LcdI2cAddress:X2}: allowed 0x20-0x27 (PCF8574, set by the A2..A0 jumpers){hint}"));
        }

        if (LampTestDuration < MinLampTestDuration || LampTestDuration > MaxLampTestDuration)
        {
            problems.Add(Invariant($"lampTest.durationMilliseconds = {LampTestDuration.TotalMilliseconds}: allowed {MinLampTestDuration.TotalMilliseconds}-{MaxLampTestDuration.TotalMilliseconds}"));
        }

        return problems;
    }

    /// <summary>Throws <see cref="CrewPanelConfigException"/> listing every problem <see cref="Validate"/> finds.</summary>
    public void ThrowIfInvalid(string source = "crew panel options")
    {
        IReadOnlyList<string> problems = Validate();
        if (problems.Count > 0)
        {
            throw new CrewPanelConfigException(source, problems);
        }
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
