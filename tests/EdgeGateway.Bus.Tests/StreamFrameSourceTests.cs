namespace EdgeGateway.Bus.Tests;

public class StreamFrameSourceTests
{
    [Fact]
    public async Task ReadAsync_FramesThenEnd_ReturnsAllThenZero()
    {
        var frames = TestFrames.Random(new Random(9), 5000);
        await using var source = new StreamFrameSource(new MemoryStream(TestFrames.Encode(frames)));
        var decoded = new List<AdapterFrame>();
        var dest = new AdapterFrame[256];

        int n;
        while ((n = await source.ReadAsync(dest)) > 0)
        {
            decoded.AddRange(dest.AsSpan(0, n));
        }

        Assert.Equal(frames, decoded);
        Assert.Equal(0, await source.ReadAsync(dest));
        Assert.Equal(5000, source.Stats.GoodFrames);
    }

    [Fact]
    public async Task ReadAsync_EmptyDestination_Throws()
    {
        await using var source = new StreamFrameSource(new MemoryStream());

        await Assert.ThrowsAsync<ArgumentException>(async () => await source.ReadAsync(Memory<AdapterFrame>.Empty));
    }

    [Fact]
    public void Dispose_LeaveOpen_KeepsStreamOpen()
    {
        var stream = new MemoryStream();
        new StreamFrameSource(stream, leaveOpen: true).Dispose();
        Assert.True(stream.CanRead);

        new StreamFrameSource(stream).Dispose();
        Assert.False(stream.CanRead);
    }
}
