using EdgeGateway.Core.Arinc;
using EdgeGateway.Crew;
using EdgeGateway.Uplink;
using Microsoft.Extensions.Configuration;

namespace EdgeGateway.Hosting;

/// <summary>
/// Checks the whole configuration before anything starts, collecting every problem: an installer
/// fixing a box sees all of them at once, each naming the setting, the value and what is allowed.
/// </summary>
public static class StartupCheck
{
    /// <summary>Returns one line per problem; empty when the configuration can start.</summary>
    public static IReadOnlyList<string> Run(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        var gateway = Bind<GatewayOptions>(configuration, GatewayOptions.SectionName, problems);
        var bus = Bind<BusOptions>(configuration, BusOptions.SectionName, problems);
        var api = Bind<ApiOptions>(configuration, ApiOptions.SectionName, problems);
        var crew = Bind<CrewOptions>(configuration, CrewOptions.SectionName, problems);
        var uplink = Bind<UplinkOptions>(configuration, UplinkOptions.SectionName, problems);
        var outbox = Bind<OutboxOptions>(configuration, OutboxOptions.SectionName, problems);
        var simulator = Bind<SimulatorOptions>(configuration, SimulatorOptions.SectionName, problems);

        if (gateway is not null)
        {
            try
            {
                LabelTableLoader.Load(gateway.LabelTable);
            }
            catch (LabelTableException e)
            {
                problems.AddRange(e.Problems.Select(p => $"Gateway:LabelTable = '{gateway.LabelTable}': {p}"));
            }

            if (string.IsNullOrWhiteSpace(gateway.DataFolder))
            {
                problems.Add("Gateway:DataFolder is empty; give a writable folder");
            }
        }

        if (bus is not null)
        {
            if (bus.Source == BusSourceKind.Serial && string.IsNullOrWhiteSpace(bus.SerialPort))
            {
                problems.Add("Bus:SerialPort is empty but Bus:Source is Serial; give the adapter's device, e.g. /dev/arinc-adapter");
            }

            if (bus.SilenceTimeout <= TimeSpan.Zero || bus.SilenceTimeout > TimeSpan.FromHours(1))
            {
                problems.Add($"Bus:SilenceTimeout = '{bus.SilenceTimeout}': allowed 00:00:00.001 to 01:00:00");
            }
        }

        if (simulator is not null && bus?.Source == BusSourceKind.Simulator)
        {
            foreach (string f in simulator.Faults)
            {
                if (!Simulator.Flights.FaultSpec.TryParse(f, out _, out string error))
                {
                    problems.Add($"Simulator:Faults = '{f}': {error}");
                }
            }
        }

        if (api is not null)
        {
            foreach (string url in api.EffectiveUrls)
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
                {
                    problems.Add($"Api:Urls = '{url}': must be an absolute http or https URL, e.g. http://127.0.0.1:5080");
                }
            }
        }

        if (crew is not null && crew.Mode == CrewPanelMode.Hardware)
        {
            try
            {
                CrewPanelConfig.Load(crew.PanelConfig);
            }
            catch (CrewPanelConfigException e)
            {
                problems.AddRange(e.Problems.Select(p => $"Crew:PanelConfig = '{crew.PanelConfig}': {p}"));
            }
        }

        if (uplink is not null)
        {
            var validator = new UplinkOptionsValidator();
            var r = validator.Validate(null, uplink);
            if (r.Failed)
            {
                problems.AddRange(r.Failures.Select(f => "Uplink: " + f));
            }

            foreach (var (name, path) in new[] { ("CaCertificatePath", uplink.CaCertificatePath), ("ClientCertificatePath", uplink.ClientCertificatePath), ("ClientKeyPath", uplink.ClientKeyPath) })
            {
                if (!string.IsNullOrEmpty(path) && !CanRead(path))
                {
                    problems.Add($"Uplink:{name} = '{path}': the file cannot be read");
                }
            }
        }

        if (outbox is not null && gateway is not null)
        {
            var effective = EffectiveOutbox(outbox, gateway);
            var r = new UplinkOptionsValidator().Validate(null, effective);
            if (r.Failed)
            {
                problems.AddRange(r.Failures.Select(f => "Outbox: " + f));
            }
        }

        return problems;
    }

    /// <summary>The outbox database defaults to <c>outbox.db</c> in the data folder.</summary>
    public static OutboxOptions EffectiveOutbox(OutboxOptions outbox, GatewayOptions gateway)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(gateway);
        if (string.IsNullOrWhiteSpace(outbox.DatabasePath))
        {
            outbox.DatabasePath = Path.Combine(gateway.DataFolder, "outbox.db");
        }

        return outbox;
    }

    private static bool CanRead(string path)
    {
        try
        {
            using var f = File.OpenRead(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static T? Bind<T>(IConfiguration configuration, string section, List<string> problems)
        where T : class, new()
    {
        try
        {
            var value = new T();
            configuration.GetSection(section).Bind(value);
            var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
            if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(value, new System.ComponentModel.DataAnnotations.ValidationContext(value), results, validateAllProperties: true))
            {
                foreach (var r in results)
                {
                    foreach (string member in r.MemberNames.DefaultIfEmpty("?"))
                    {
                        object? v = typeof(T).GetProperty(member)?.GetValue(value);
                        problems.Add($"{section}:{member} = '{v}': {r.ErrorMessage}");
                    }
                }
            }

            return value;
        }
        catch (InvalidOperationException e)
        {
            // The binder names the setting and the value it could not convert.
            problems.Add($"{section}: {e.Message}{(e.InnerException is null ? "" : " " + e.InnerException.Message)}");
            return null;
        }
    }
}
