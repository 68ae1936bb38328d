namespace EdgeGateway.Core.Models;

/// <summary>What one window did to the episode state.</summary>
public enum EpisodeTransition
{
    /// <summary>No change.</summary>
    None,

    /// <summary>An episode opened with this window.</summary>
    Raised,

    /// <summary>The open episode closed with this window.</summary>
    Cleared,
}

/// <summary>
/// Turns a stream of window scores into alert episodes with the package's <see cref="DebounceSpec"/>:
/// open after <c>RaiseAfter</c> consecutive windows above the threshold, close after
/// <c>ClearAfter</c> consecutive windows at or below it. The gateway and the model lab use this one
/// type, so both decide alerts the same way. A mutable struct: no allocation per window.
/// </summary>
public struct EpisodeDebouncer
{
    private readonly double _threshold;
    private readonly int _raiseAfter;
    private readonly int _clearAfter;
    private int _above;
    private int _below;

    /// <summary>Creates a debouncer in the normal state.</summary>
    public EpisodeDebouncer(double threshold, DebounceSpec debounce)
    {
        ArgumentNullException.ThrowIfNull(debounce);
        if (debounce.RaiseAfter < 1 || debounce.ClearAfter < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(debounce), debounce, "RaiseAfter and ClearAfter must be at least 1");
        }

        _threshold = threshold;
        _raiseAfter = debounce.RaiseAfter;
        _clearAfter = debounce.ClearAfter;
        _above = 0;
        _below = 0;
        InEpisode = false;
    }

    /// <summary>True while an episode is open (the flag for the current window).</summary>
    public bool InEpisode { get; private set; }

    /// <summary>Feeds one window score. NaN (no full window yet) counts as normal.</summary>
    public EpisodeTransition Push(double score)
    {
        if (score > _threshold)
        {
            _above++;
            _below = 0;
            if (!InEpisode && _above >= _raiseAfter)
            {
                InEpisode = true;
                return EpisodeTransition.Raised;
            }
        }
        else
        {
            _below++;
            _above = 0;
            if (InEpisode && _below >= _clearAfter)
            {
                InEpisode = false;
                return EpisodeTransition.Cleared;
            }
        }

        return EpisodeTransition.None;
    }

    /// <summary>Flags for a whole score series (true where an episode is open).</summary>
    public static bool[] Flags(ReadOnlySpan<double> scores, double threshold, DebounceSpec debounce)
    {
        var d = new EpisodeDebouncer(threshold, debounce);
        var flags = new bool[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            d.Push(scores[i]);
            flags[i] = d.InEpisode;
        }

        return flags;
    }
}
