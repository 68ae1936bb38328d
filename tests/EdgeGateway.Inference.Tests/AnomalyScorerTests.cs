using EdgeGateway.Inference.Packages;
using EdgeGateway.Inference.Scoring;

namespace EdgeGateway.Inference.Tests;

public sealed class AnomalyScorerTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly ModelSet _set;

    public AnomalyScorerTests()
    {
        var pkg = _dir.Sub("pkg");
        var keys = _dir.Sub("keys");
        TestPackages.WriteAnomaly(pkg, keys);
        _set = ModelSet.Load(pkg, keys, new InferenceOptions { PreferredRole = "fp32", BatchWindows = 16 });
    }

    public void Dispose()
    {
        _set.Dispose();
        _dir.Dispose();
    }

    private static float[][] Flight(int seconds, int faultChannel, int faultStart, int faultEnd, double faultSigmas)
    {
        var rng = new Random(9);
        var data = new float[TestPackages.Channels.Length][];
        for (int c = 0; c < data.Length; c++)
        {
            data[c] = new float[seconds];
        }

        for (int t = 0; t < seconds; t++)
        {
            for (int c = 0; c < data.Length; c++)
            {
                double v = TestPackages.Normal(c, t, rng);
                if (c == faultChannel && t >= faultStart && t < faultEnd)
                {
                    v += faultSigmas * TestPackages.Stds[c];
                }

                data[c][t] = (float)v;
            }
        }

        return data;
    }

    private static void Feed(AnomalyScorer scorer, float[][] data, int chunk, long origin = 1000)
    {
        // Channels arrive in chunks of different sizes, as conditioning delivers them.
        for (int start = 0; start < data[0].Length; start += chunk)
        {
            for (int c = 0; c < data.Length; c++)
            {
                int n = Math.Min(chunk, data[c].Length - start);
                scorer.Append(scorer.ColumnOf(TestPackages.Channels[c]), origin + start, data[c].AsSpan(start, n));
            }
        }
    }

    [Fact]
    public void Complete_StepOnOneChannel_OneEpisodeExplainedByThatChannel()
    {
        var scorer = new AnomalyScorer(_set.Anomaly!, _set.Options);
        var data = Flight(600, faultChannel: 2, faultStart: 300, faultEnd: 400, faultSigmas: 8);
        Feed(scorer, data, chunk: 37);

        var episodes = scorer.Complete();

        var e = Assert.Single(episodes);
        Assert.Equal("EGT", e.Channels[0].Channel);
        Assert.True(e.Channels[0].Contribution > 0);
        Assert.InRange(e.FirstAbnormalStart, 1000 + 300 - TestPackages.Window, 1000 + 300);
        Assert.InRange(e.RaisedEnd, 1000 + 300, 1000 + 309);
        Assert.InRange(e.ClearedEnd, 1000 + 400, 1000 + 400 + TestPackages.Window + 10);
        Assert.False(e.OpenAtEnd);
        Assert.True(e.PeakScore > 1.5);
        Assert.Equal(600 - TestPackages.Window + 1, scorer.WindowsScored);
    }

    [Fact]
    public void Complete_NormalFlight_NoEpisode()
    {
        var scorer = new AnomalyScorer(_set.Anomaly!, _set.Options);
        Feed(scorer, Flight(600, 0, 0, 0, 0), chunk: 64);
        Assert.Empty(scorer.Complete());
        Assert.True(scorer.MaxScore < 1.5);
    }

    [Fact]
    public void EpisodeRaised_StepOnOneChannel_CalledDuringAppendWithTheRaiseCompleteReports()
    {
        var scorer = new AnomalyScorer(_set.Anomaly!, _set.Options);
        var raised = new List<EpisodeFinding>();
        scorer.EpisodeRaised = raised.Add;
        var data = Flight(600, faultChannel: 2, faultStart: 300, faultEnd: 400, faultSigmas: 8);
        Feed(scorer, data, chunk: 37);

        var live = Assert.Single(raised);
        var e = Assert.Single(scorer.Complete());
        Assert.Single(raised);
        Assert.Equal((e.FirstAbnormalStart, e.RaisedEnd), (live.FirstAbnormalStart, live.RaisedEnd));
        Assert.True(live.OpenAtEnd);
        Assert.Equal("EGT", live.Channels[0].Channel);
    }

    [Fact]
    public void Append_TwoEnginesOfOnePackageInterleaved_EachScoresItsOwnWindows()
    {
        var faulty = Flight(500, faultChannel: 4, faultStart: 200, faultEnd: 260, faultSigmas: 10);
        var normal = Flight(500, 0, 0, 0, 0);
        var alone = new AnomalyScorer(_set.Anomaly!, _set.Options);
        Feed(alone, faulty, chunk: 500);
        var expected = alone.Complete();

        // Engines' channels arrive interleaved, as one landing's conditioning delivers them.
        var engine1 = new AnomalyScorer(_set.Anomaly!, _set.Options);
        var engine2 = new AnomalyScorer(_set.Anomaly!, _set.Options);
        for (int start = 0; start < 500; start += 7)
        {
            Feed(engine1, [.. faulty.Select(c => c[start..Math.Min(500, start + 7)])], chunk: 7, origin: 1000 + start);
            Feed(engine2, [.. normal.Select(c => c[start..Math.Min(500, start + 7)])], chunk: 7, origin: 1000 + start);
        }

        Assert.Equal(expected, engine1.Complete(), new EpisodeComparer());
        Assert.Empty(engine2.Complete());
        Assert.Equal(alone.MaxScore, engine1.MaxScore);
    }

    [Fact]
    public void Complete_BackgroundScoringOnOrOff_SameEpisodesAndScores()
    {
        // Several episodes over many full batches (16 windows each): results taken from the
        // background lane out of order, or a lane refilled before its scores were read, would move them.
        var data = Flight(2400, faultChannel: 4, faultStart: 300, faultEnd: 380, faultSigmas: 10);
        var second = Flight(2400, faultChannel: 2, faultStart: 0, faultEnd: 0, faultSigmas: 0);
        for (int t = 1500; t < 1600; t++)
        {
            data[2][t] = second[2][t] + (float)(12 * TestPackages.Stds[2]);
        }

        var background = new AnomalyScorer(_set.Anomaly!, _set.Options);
        Assert.True(_set.Options.BackgroundScoring);
        Feed(background, data, chunk: 211);
        using var foregroundSet = ModelSet.Load(_dir.Sub("pkg"), _dir.Sub("keys"), new InferenceOptions { PreferredRole = "fp32", BatchWindows = 16, BackgroundScoring = false });
        var foreground = new AnomalyScorer(foregroundSet.Anomaly!, foregroundSet.Options);
        Feed(foreground, data, chunk: 211);

        var expected = foreground.Complete();
        var actual = background.Complete();
        Assert.Equal(2, expected.Count);
        Assert.Equal(expected, actual, new EpisodeComparer());
        Assert.Equal(foreground.WindowsScored, background.WindowsScored);
        Assert.Equal(foreground.MaxScore, background.MaxScore);
    }

    [Fact]
    public void Complete_ScorerGivesItsLanesBack_NextScorerReusesThem()
    {
        var data = Flight(400, 0, 0, 0, 0);
        var first = new AnomalyScorer(_set.Anomaly!, _set.Options);
        Feed(first, data, chunk: 100);
        first.Complete();
        var a = _set.Anomaly!.RentLane();
        var b = _set.Anomaly!.RentLane();
        var c = _set.Anomaly!.RentLane();
        Assert.Equal(3, new[] { a, b, c }.Distinct().Count());
        Assert.Throws<ObjectDisposedException>(() => first.Complete());
        _set.Anomaly!.ReturnLane(c);
        Assert.Same(c, _set.Anomaly!.RentLane());
    }

    [Fact]
    public void Dispose_LandingAbandonedWithABatchInTheBackground_LanesGoBackToThePackage()
    {
        var package = _set.Anomaly!;
        var a = package.RentLane();
        var b = package.RentLane();
        package.ReturnLane(a);
        package.ReturnLane(b);

        // Enough windows for several full batches of 16: one is being scored or was when Dispose runs.
        var scorer = new AnomalyScorer(package, _set.Options);
        Feed(scorer, Flight(400, 0, 0, 0, 0), chunk: 400);
        scorer.Dispose();

        Assert.Contains(package.RentLane(), new[] { a, b });
        Assert.Throws<ObjectDisposedException>(() => scorer.Complete());
        scorer.Dispose();
    }

    [Fact]
    public void Complete_ChunkSize_DoesNotChangeEpisodes()
    {
        var data = Flight(500, faultChannel: 4, faultStart: 200, faultEnd: 260, faultSigmas: 10);
        var a = new AnomalyScorer(_set.Anomaly!, _set.Options);
        Feed(a, data, chunk: 1);
        var b = new AnomalyScorer(_set.Anomaly!, _set.Options);
        Feed(b, data, chunk: 499);
        Assert.Equal(a.Complete(), b.Complete(), new EpisodeComparer());
    }

    [Fact]
    public void Append_GapInOneChannel_WindowsWithTheGapAreNotScored()
    {
        var scorer = new AnomalyScorer(_set.Anomaly!, _set.Options);
        var data = Flight(400, 0, 0, 0, 0);
        for (int t = 100; t < 150; t++)
        {
            // A dead vibration sensor: NaN from conditioning. Huge values around it must not leak in.
            data[5][t] = float.NaN;
        }

        Feed(scorer, data, chunk: 50);
        Assert.Empty(scorer.Complete());
        Assert.Equal(50 + TestPackages.Window - 1, scorer.WindowsSkipped);
        Assert.Equal(400 - TestPackages.Window + 1 - scorer.WindowsSkipped, scorer.WindowsScored);
    }

    [Fact]
    public void Append_ChannelNeverDelivered_NothingScored()
    {
        var scorer = new AnomalyScorer(_set.Anomaly!, _set.Options);
        var data = Flight(300, 0, 0, 0, 0);
        for (int c = 0; c < 4; c++)
        {
            scorer.Append(scorer.ColumnOf(TestPackages.Channels[c]), 0, data[c]);
        }

        Assert.Empty(scorer.Complete());
        Assert.Equal(0, scorer.WindowsScored);
    }

    [Fact]
    public void Complete_OtherEnginesInputNeverSent_ScoredWithTheEnginesOwnInItsPlace()
    {
        using var dir = new TempFolder();
        TestPackages.WriteAnomaly(dir.Sub("pkg"), dir.Sub("keys"), otherEngine: true);
        using var set = ModelSet.Load(dir.Sub("pkg"), dir.Sub("keys"), new InferenceOptions { PreferredRole = "fp32", BatchWindows = 16 });
        var data = Flight(300, 2, 150, 300, 6);

        // A: EGT@other never comes (a dead sensor on the other engine). B: EGT@other is this
        // engine's own EGT, what A's stand-in puts in its place.
        var a = new AnomalyScorer(set.Anomaly!, set.Options);
        Feed(a, data, chunk: 50);
        var b = new AnomalyScorer(set.Anomaly!, set.Options);
        Feed(b, data, chunk: 50);
        b.Append(b.ColumnOf("EGT@other"), 1000, data[2]);

        // Until the end of the landing A waits for the other engine (its ring is far from full).
        Assert.Equal(0, a.WindowsScored);
        var episodesA = a.Complete();
        var episodesB = b.Complete();

        Assert.Equal(300 - TestPackages.Window + 1, a.WindowsScored);
        Assert.Equal(a.WindowsScored, a.WindowsWithStandIn);
        Assert.Equal(b.WindowsScored, a.WindowsScored);
        Assert.Equal(0, b.WindowsWithStandIn);
        Assert.Equal(b.MaxScore, a.MaxScore, 4);
        Assert.NotEmpty(episodesA);
        Assert.Equal(episodesB.Select(e => e.RaisedEnd), episodesA.Select(e => e.RaisedEnd));
    }

    [Fact]
    public void RaisedAloneScore_OtherEngineRunsHot_NormalAloneAndTheSameLiveAndAtTheEnd()
    {
        using var dir = new TempFolder();
        TestPackages.WriteAnomaly(dir.Sub("pkg"), dir.Sub("keys"), otherEngine: true, otherEngineEqual: true);
        using var set = ModelSet.Load(dir.Sub("pkg"), dir.Sub("keys"), new InferenceOptions { PreferredRole = "fp32", BatchWindows = 16 });
        double threshold = set.Anomaly!.Manifest.Decision!.Threshold;

        // This engine normal; the other engine's EGT, normally equal to this one's, 40 degC above it from 150 s on.
        var data = Flight(300, 0, 0, 0, 0);
        var other = data[2].Select((v, t) => v + (t >= 150 ? 40f : 0f)).ToArray();
        var scorer = new AnomalyScorer(set.Anomaly!, set.Options);
        var raised = new List<EpisodeFinding>();
        scorer.EpisodeRaised = raised.Add;
        Feed(scorer, data, chunk: 50);
        scorer.Append(scorer.ColumnOf("EGT@other"), 1000, other);
        var e = Assert.Single(scorer.Complete());

        Assert.True(e.PeakScore > threshold);
        Assert.NotNull(e.RaisedAloneScore);
        Assert.True(e.RaisedAloneScore <= threshold, $"alone {e.RaisedAloneScore}, threshold {threshold}");
        Assert.Equal(Assert.Single(raised).RaisedAloneScore, e.RaisedAloneScore);

        // A fault on this engine's own vibration is abnormal alone too.
        var own = new AnomalyScorer(set.Anomaly!, set.Options);
        var faulty = Flight(300, 4, 150, 300, 10);
        Feed(own, faulty, chunk: 50);
        own.Append(own.ColumnOf("EGT@other"), 1000, faulty[2]);
        var o = Assert.Single(own.Complete());
        Assert.True(o.RaisedAloneScore > threshold, $"alone {o.RaisedAloneScore}, threshold {threshold}");
    }

    [Fact]
    public void RaisedAloneScore_ModelWithoutOtherEngineInputs_Null()
    {
        var scorer = new AnomalyScorer(_set.Anomaly!, _set.Options);
        Feed(scorer, Flight(600, faultChannel: 2, faultStart: 300, faultEnd: 400, faultSigmas: 8), chunk: 37);
        Assert.Null(Assert.Single(scorer.Complete()).RaisedAloneScore);
    }

    private sealed class EpisodeComparer : IEqualityComparer<EpisodeFinding>
    {
        public bool Equals(EpisodeFinding? x, EpisodeFinding? y) =>
            x!.FirstAbnormalStart == y!.FirstAbnormalStart && x.RaisedEnd == y.RaisedEnd && x.ClearedEnd == y.ClearedEnd
            && x.PeakScore == y.PeakScore && x.Channels.Select(c => c.Channel).SequenceEqual(y.Channels.Select(c => c.Channel));

        public int GetHashCode(EpisodeFinding obj) => obj.RaisedEnd.GetHashCode();
    }
}
