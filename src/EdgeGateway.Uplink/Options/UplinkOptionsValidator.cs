using System.Globalization;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Uplink;

/// <summary>
/// Validates <see cref="UplinkOptions"/> and <see cref="OutboxOptions"/>, including cross-field rules
/// (TLS files required unless plain TCP is allowed, delays ordered). Each message names the setting, the
/// offending value and what is allowed. Register with <c>ValidateOnStart</c> so a wrong config stops start-up.
/// </summary>
public sealed class UplinkOptionsValidator : IValidateOptions<UplinkOptions>, IValidateOptions<OutboxOptions>
{
    /// <summary>Most characters in an operator or gateway id.</summary>
    public const int MaxIdLength = 64;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, UplinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string s = UplinkOptions.SectionName;
        CheckId(errors, $"{s}:OperatorId", options.OperatorId);
        CheckId(errors, $"{s}:GatewayId", options.GatewayId);
        if (!string.IsNullOrWhiteSpace(options.ClientId) && options.ClientId.Length > 128)
        {
            errors.Add($"{s}:ClientId is '{options.ClientId}' ({options.ClientId.Length} characters); allowed: at most 128 characters.");
        }

        if (!options.UseEmbeddedBroker)
        {
            CheckPort(errors, $"{s}:BrokerPort", options.BrokerPort);
            if (!options.AllowPlainTcp)
            {
                CheckFile(errors, $"{s}:CaCertificatePath", options.CaCertificatePath);
                CheckFile(errors, $"{s}:ClientCertificatePath", options.ClientCertificatePath);
                CheckFile(errors, $"{s}:ClientKeyPath", options.ClientKeyPath);
            }
        }
        else
        {
            CheckPort(errors, $"{s}:EmbeddedBrokerPort", options.EmbeddedBrokerPort);
        }

        CheckPositive(errors, $"{s}:KeepAlivePeriod", options.KeepAlivePeriod, TimeSpan.FromSeconds(ushort.MaxValue));
        CheckPositive(errors, $"{s}:PingTimeout", options.PingTimeout, TimeSpan.FromHours(1));
        CheckPositive(errors, $"{s}:ConnectTimeout", options.ConnectTimeout, TimeSpan.FromHours(1));
        CheckPositive(errors, $"{s}:PublishTimeout", options.PublishTimeout, TimeSpan.FromHours(1));
        CheckPositive(errors, $"{s}:SessionExpiry", options.SessionExpiry, TimeSpan.FromSeconds(uint.MaxValue - 1));
        CheckPositive(errors, $"{s}:ReconnectInitialDelay", options.ReconnectInitialDelay, TimeSpan.FromHours(1));
        CheckPositive(errors, $"{s}:ReconnectMaxDelay", options.ReconnectMaxDelay, TimeSpan.FromDays(1));
        CheckPositive(errors, $"{s}:StatusInterval", options.StatusInterval, TimeSpan.FromDays(1));
        if (options.ReconnectMaxDelay < options.ReconnectInitialDelay)
        {
            errors.Add($"{s}:ReconnectMaxDelay is {options.ReconnectMaxDelay}; allowed: at least {s}:ReconnectInitialDelay ({options.ReconnectInitialDelay}).");
        }

        if (!(options.BacklogDrainRate > 0) || double.IsInfinity(options.BacklogDrainRate))
        {
            errors.Add($"{s}:BacklogDrainRate is {options.BacklogDrainRate.ToString(CultureInfo.InvariantCulture)}; allowed: a finite number of messages per second greater than 0.");
        }

        if (options.MaxInFlight is < 1 or > ushort.MaxValue)
        {
            errors.Add($"{s}:MaxInFlight is {options.MaxInFlight}; allowed: 1..65535.");
        }

        if (options.PublishBatchSize is < 1 or > 100_000)
        {
            errors.Add($"{s}:PublishBatchSize is {options.PublishBatchSize}; allowed: 1..100000.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OutboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string s = OutboxOptions.SectionName;
        if (string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            errors.Add($"{s}:DatabasePath is empty; allowed: a file path in the gateway's data folder.");
        }

        if (options.MaxOutboxBytes < 64 * 1024)
        {
            errors.Add($"{s}:MaxOutboxBytes is {options.MaxOutboxBytes}; allowed: at least 65536 bytes.");
        }

        foreach (var c in MessageClasses.All)
        {
            var ttl = options.TimeToLive(c);
            if (ttl is { } t && t <= TimeSpan.Zero)
            {
                errors.Add($"{s}:{c}TimeToLive is {t}; allowed: a positive duration, or empty for never.");
            }
        }

        if (options.MaxWriteBatch is < 1 or > 100_000)
        {
            errors.Add($"{s}:MaxWriteBatch is {options.MaxWriteBatch}; allowed: 1..100000.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem when <paramref name="options"/> is invalid.</summary>
    public static void ThrowIfInvalid(UplinkOptions options)
    {
        var result = new UplinkOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(UplinkOptions.SectionName, typeof(UplinkOptions), result.Failures);
        }
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem when <paramref name="options"/> is invalid.</summary>
    public static void ThrowIfInvalid(OutboxOptions options)
    {
        var result = new UplinkOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(OutboxOptions.SectionName, typeof(OutboxOptions), result.Failures);
        }
    }

    /// <summary>True when <paramref name="value"/> is usable as a topic level: 1..64 of [A-Za-z0-9_-].</summary>
    public static bool IsValidId(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxIdLength)
        {
            return false;
        }

        foreach (var ch in value)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static void CheckId(List<string> errors, string setting, string? value)
    {
        if (!IsValidId(value))
        {
            errors.Add($"{setting} is '{value}'; allowed: 1..{MaxIdLength} characters of letters, digits, '-' and '_' (it becomes a topic level).");
        }
    }

    private static void CheckPort(List<string> errors, string setting, int value)
    {
        if (value is < 1 or > 65535)
        {
            errors.Add($"{setting} is {value}; allowed: 1..65535.");
        }
    }

    private static void CheckFile(List<string> errors, string setting, string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            errors.Add($"{setting} is empty; allowed: a PEM file path (TLS is required unless {UplinkOptions.SectionName}:AllowPlainTcp is true).");
        }
        else if (!File.Exists(path))
        {
            errors.Add($"{setting} is '{path}', which does not exist; allowed: an existing PEM file.");
        }
    }

    private static void CheckPositive(List<string> errors, string setting, TimeSpan value, TimeSpan max)
    {
        if (value <= TimeSpan.Zero || value > max)
        {
            errors.Add($"{setting} is {value}; allowed: greater than 0 and at most {max}.");
        }
    }
}
