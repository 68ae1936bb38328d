using System.Globalization;
using System.Text;
using EdgeGateway.ModelLab.Training;

namespace EdgeGateway.ModelLab.Tests;

/// <summary>
/// Labelled multivariate flights for tests: six channels driven by a throttle profile with noise;
/// fault flights break the relation between channels (EGT step or vibration step) over a segment
/// labelled 1.
/// </summary>
internal static class SyntheticFlights
{
    public static string Csv(int normalFlights, int faultFlights, int rowsPerFlight, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var sb = new StringBuilder("flight,t,n1,n2,egt,ff,oilp,vib,label,fault_kind\n");
        for (var f = 0; f < normalFlights + faultFlights; f++)
        {
            var faulty = f >= normalFlights;
            var kind = faulty ? ((f % 2 == 0) ? "egt_step" : "vib_step") : "none";
            var faultStart = rowsPerFlight / 2;
            var faultEnd = faultStart + (rowsPerFlight / 4);
            var cruise = 0.75 + (rng.NextDouble() * 0.1);
            for (var t = 0; t < rowsPerFlight; t++)
            {
                var phase = t / (double)rowsPerFlight;
                var tau = phase < 0.1 ? 0.2 : phase < 0.2 ? 1.0 : phase < 0.3 ? 0.9 : cruise;
                tau += 0.02 * Math.Sin(t / 7.0);
                double N() => (rng.NextDouble() - 0.5) * 2;
                var inFault = faulty && t >= faultStart && t < faultEnd;
                var n1 = 20 + (70 * tau) + (0.3 * N());
                var n2 = 60 + (35 * tau) + (0.2 * N());
                var egt = 400 + (450 * tau) + (3 * N()) + (inFault && kind == "egt_step" ? 60 : 0);
                var ff = 300 + (2500 * tau) + (15 * N());
                var oilp = 30 + (40 * tau) + (0.4 * N());
                var vib = 0.5 + (1.5 * tau) + (0.05 * N()) + (inFault && kind == "vib_step" ? 0.6 : 0);
                sb.Append(CultureInfo.InvariantCulture, $"F{f:D3},{t},{n1:F3},{n2:F3},{egt:F2},{ff:F1},{oilp:F3},{vib:F4},{(inFault ? 1 : 0)},{kind}\n");
            }
        }

        return sb.ToString();
    }
}
