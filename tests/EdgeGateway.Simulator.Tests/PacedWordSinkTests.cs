using EdgeGateway.Simulator.Output;

namespace EdgeGateway.Simulator.Tests;

public class PacedWordSinkTests
{
    /// <summary>A monotonic clock that moves only when the sink waits.</summary>
    private sealed class ManualClock : TimeProvider
    {
        public long Ticks { get; set; } = 1_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;
    }

    [Fact]
    public void Write_TimestampsApart_WaitsTheDifferenceAndFlushesFirst()
    {
        var clock = new ManualClock();
        var inner = new CollectingSink();
        var waits = new List<TimeSpan>();
        var sink = new PacedWordSink(inner, clock, span =>
        {
            waits.Add(span);
            clock.Ticks += span.Ticks;
        });

        sink.Write(new BusWord(5_000_000, 0, 1, false));
        sink.Write(new BusWord(5_062_500, 0, 2, false));
        clock.Ticks += TimeSpan.FromMilliseconds(100).Ticks;
        sink.Write(new BusWord(5_125_000, 1, 3, false));
        sink.Write(new BusWord(5_500_000, 1, 4, false));
        sink.Complete();

        Assert.Equal([TimeSpan.FromMilliseconds(62.5), TimeSpan.FromMilliseconds(500 - 162.5)], waits);
        Assert.Equal([1u, 2u, 3u, 4u], inner.Words.Select(w => w.Word));
        Assert.Equal(2, inner.Flushes);
        Assert.True(inner.Completed);
    }
}
