namespace EdgeGateway.Core.Conditioning;

/// <summary>The smoothing stage of a <see cref="ConditioningChain"/>.</summary>
public enum Smoothing
{
    /// <summary>No smoothing (the default: Hampel already removes spikes, and smoothing blurs steps).</summary>
    None,

    /// <summary>Trailing moving average of <see cref="ConditioningOptions.MovingAverageWindowSamples"/>.</summary>
    MovingAverage,

    /// <summary>Exponential moving average with <see cref="ConditioningOptions.EmaAlpha"/>.</summary>
    Ema,
}

/// <summary>
/// How one channel is conditioned: Hampel spike removal, then optional smoothing (both on the input
/// samples), then resampling to a fixed grid with gap handling. The gateway and the model lab build their
/// chains from the same record so a model sees in service what it saw in training.
/// </summary>
public sealed record ConditioningOptions
{
    /// <summary>Default Hampel window: 7 samples.</summary>
    public const int DefaultHampelWindowSamples = 7;

    /// <summary>Hampel window in input samples: odd, 3 to 1023; 0 turns spike removal off. Default 7.</summary>
    public int HampelWindowSamples { get; init; } = DefaultHampelWindowSamples;

    /// <summary>Hampel threshold in standard deviations (sigma = 1.4826 x MAD). Default 3.</summary>
    public float HampelSigmas { get; init; } = Hampel.DefaultSigmas;

    /// <summary>
    /// Hampel deviation floor in signal units (finite, &gt;= 0): a sample is a spike only if it is further than this from
    /// the median too. Default 0; set it to about one resolution step for quantised bus data, whose MAD is often 0.
    /// </summary>
    public float HampelMinDeviation { get; init; }

    /// <summary>Smoothing after spike removal. Default none.</summary>
    public Smoothing Smoothing { get; init; } = Smoothing.None;

    /// <summary>Window of <see cref="Smoothing.MovingAverage"/> in input samples, 1 to 2^20. Default 5.</summary>
    public int MovingAverageWindowSamples { get; init; } = 5;

    /// <summary>Smoothing factor of <see cref="Smoothing.Ema"/>, in (0, 1]. Default 0.2.</summary>
    public float EmaAlpha { get; init; } = 0.2f;

    /// <summary>Resampling and gap handling. Required.</summary>
    public required ResampleOptions Resample { get; init; }

    /// <summary>Throws naming the setting, its value and what is allowed when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    /// <exception cref="ArgumentNullException"><see cref="Resample"/> is missing.</exception>
    public void Validate()
    {
        if (HampelWindowSamples != 0)
        {
            ConditioningThrow.CheckOddWindow(HampelWindowSamples, nameof(HampelWindowSamples));
            ConditioningThrow.CheckSigmas(HampelSigmas, nameof(HampelSigmas));
            ConditioningThrow.CheckMinDeviation(HampelMinDeviation, nameof(HampelMinDeviation));
        }

        switch (Smoothing)
        {
            case Smoothing.None:
                break;
            case Smoothing.MovingAverage:
                if (MovingAverageWindowSamples < 1 || MovingAverageWindowSamples > MovingAverage.MaxWindowSamples)
                {
                    ConditioningThrow.ArgumentOutOfRange(nameof(MovingAverageWindowSamples), MovingAverageWindowSamples, $"1 to {MovingAverage.MaxWindowSamples} samples");
                }

                break;
            case Smoothing.Ema:
                if (!(EmaAlpha > 0f && EmaAlpha <= 1f))
                {
                    ConditioningThrow.ArgumentOutOfRange(nameof(EmaAlpha), EmaAlpha, "a smoothing factor in (0, 1]");
                }

                break;
            default:
                ConditioningThrow.ArgumentOutOfRange(nameof(Smoothing), Smoothing, "None, MovingAverage or Ema");
                break;
        }

        ArgumentNullException.ThrowIfNull(Resample, nameof(Resample));
        Resample.Validate();
    }
}
