namespace EdgeGateway.Inference.Rul;

/// <summary>
/// Which label-table parameter feeds each input of a RUL manifest. The shipped RUL model is
/// trained on NASA C-MAPSS, whose sensors are named <c>s1</c>..<c>s21</c> and operating settings
/// <c>setting1</c>..<c>setting3</c>; on the bus they are the station temperatures, pressures,
/// speeds and flows below (label table <c>firmware-config/label-tables/cmapss-demo.json</c>). A
/// manifest input that is not in the map is looked up under its own name.
/// </summary>
public static class RulInputMap
{
    /// <summary>C-MAPSS column to bus parameter (Saxena et al. 2008, table of the 21 outputs).</summary>
    public static IReadOnlyDictionary<string, string> Cmapss { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["setting1"] = "OpSetting1",
        ["setting2"] = "OpSetting2",
        ["setting3"] = "ThrottleResolverAngle",
        ["s2"] = "T24",
        ["s3"] = "T30",
        ["s4"] = "T50",
        ["s7"] = "P30",
        ["s8"] = "Nf",
        ["s9"] = "Nc",
        ["s11"] = "Ps30",
        ["s12"] = "Phi",
        ["s13"] = "NRf",
        ["s14"] = "NRc",
        ["s15"] = "BPR",
        ["s17"] = "HtBleed",
        ["s20"] = "W31",
        ["s21"] = "W32",
    };

    /// <summary>Parameters whose range over the snapshot window decides whether the engine is stable (fan and core speed).</summary>
    public static IReadOnlyList<string> StabilityParameters { get; } = ["Nf", "Nc"];

    /// <summary>The bus parameter of a manifest input.</summary>
    public static string ParameterOf(string input) => Cmapss.TryGetValue(input, out var p) ? p : input;
}
