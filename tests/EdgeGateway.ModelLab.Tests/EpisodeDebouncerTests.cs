using EdgeGateway.Core.Models;

namespace EdgeGateway.ModelLab.Tests;

public class EpisodeDebouncerTests
{
    [Fact]
    public void Flags_ShortSpike_NoEpisode()
    {
        double[] scores = [0, 2, 0, 2, 0, 0];
        Assert.DoesNotContain(true, EpisodeDebouncer.Flags(scores, 1, new DebounceSpec(2, 2)));
    }

    [Fact]
    public void Flags_SustainedExcursion_RaisesAfterNAndClearsAfterM()
    {
        double[] scores = [0, 2, 2, 2, 0, 2, 0, 0, 0];
        var flags = EpisodeDebouncer.Flags(scores, 1, new DebounceSpec(2, 2));
        Assert.Equal([false, false, true, true, true, true, true, false, false], flags);
    }

    [Fact]
    public void Push_Transitions_ReportRaisedAndCleared()
    {
        var d = new EpisodeDebouncer(0.5, new DebounceSpec(1, 1));
        Assert.Equal(EpisodeTransition.Raised, d.Push(1));
        Assert.Equal(EpisodeTransition.None, d.Push(1));
        Assert.Equal(EpisodeTransition.Cleared, d.Push(0));
        Assert.Equal(EpisodeTransition.None, d.Push(double.NaN));
    }

    [Fact]
    public void Constructor_ZeroRaiseAfter_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EpisodeDebouncer(1, new DebounceSpec(0, 1)));
    }
}
