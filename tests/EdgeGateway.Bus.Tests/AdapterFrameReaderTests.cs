namespace EdgeGateway.Bus.Tests;

public class AdapterFrameReaderTests
{
    [Fact]
    public void Read_CleanFrames_ReturnsAllWithoutBadBytes()
    {
        var frames = TestFrames.Random(new Random(1), 300);

        var (decoded, stats) = TestFrames.DecodeAll(TestFrames.Encode(frames));

        Assert.Equal(frames, decoded);
        Assert.Equal(300, stats.GoodFrames);
        Assert.Equal(0, stats.BadBytes);
        Assert.Equal(0, stats.BadByteRuns);
        Assert.False(stats.TruncatedTail);
    }

    [Fact]
    public void Read_SplitAtEveryOffset_SameFramesAsOneBuffer()
    {
        var frames = TestFrames.Random(new Random(2), 6);
        byte[] garbage = [0x00, 0xA5, 0x10, 0xA5, 0x33];
        byte[] bytes = [.. TestFrames.Encode(frames.AsSpan(0, 3)), .. garbage, .. TestFrames.Encode(frames.AsSpan(3))];

        for (int split = 0; split <= bytes.Length; split++)
        {
            var dest = new AdapterFrame[16];
            var first = new AdapterFrameReader(bytes.AsSpan(0, split), isFinalBlock: false);
            int n1 = first.Read(dest);
            int consumed = (int)first.BytesConsumed;
            Assert.True(split - consumed < AdapterProtocol.FrameLength, $"split {split}: more than a frame left behind");

            var second = new AdapterFrameReader(bytes.AsSpan(consumed), isFinalBlock: true, first.CurrentState);
            int n2 = second.Read(dest.AsSpan(n1));

            Assert.Equal(frames, dest[..(n1 + n2)]);
            var stats = second.CurrentState.Stats;
            Assert.Equal(1, stats.BadByteRuns);
            Assert.Equal(garbage.Length, stats.BadBytes);
        }
    }

    [Fact]
    public void Read_SmallDestination_StopsWhenFullAndResumes()
    {
        var frames = TestFrames.Random(new Random(4), 10);

        var (decoded, _) = TestFrames.DecodeAll(TestFrames.Encode(frames), destinationLength: 3);

        Assert.Equal(frames, decoded);
    }

    [Fact]
    public void Read_CorruptedFrame_SkipsExactlyThatFrameAndCountsOneRun()
    {
        var rng = new Random(5);
        for (int trial = 0; trial < 400; trial++)
        {
            var frames = TestFrames.Random(rng, 8);
            var bytes = TestFrames.Encode(frames);
            int victim = rng.Next(0, 8);
            int bit = rng.Next(0, 16 * 8);
            bytes[(victim * 16) + (bit / 8)] ^= (byte)(1 << (bit % 8));

            var (decoded, stats) = TestFrames.DecodeAll(bytes);

            Assert.Equal(frames.Where((_, i) => i != victim), decoded);
            Assert.Equal(1, stats.BadByteRuns);
            Assert.Equal(16, stats.BadBytes);
            if (bit >= 16)
            {
                // Sync and header intact: the candidate was rejected by its checksum.
                Assert.True(stats.ChecksumFailures >= 1);
            }
        }
    }

    [Fact]
    public void Read_TruncatedTailInFinalBlock_ReportsIt()
    {
        var frames = TestFrames.Random(new Random(6), 3);
        var bytes = TestFrames.Encode(frames)[..^5];

        var (decoded, stats) = TestFrames.DecodeAll(bytes);

        Assert.Equal(frames[..2], decoded);
        Assert.True(stats.TruncatedTail);
        Assert.Equal(11, stats.TruncatedTailBytes);
        Assert.Equal(11, stats.BadBytes);
        Assert.Equal(1, stats.BadByteRuns);
    }

    [Fact]
    public void Read_GarbageTailWithoutSync_IsBadButNotTruncated()
    {
        var frames = TestFrames.Random(new Random(6), 2);
        byte[] bytes = [.. TestFrames.Encode(frames), 0x01, 0x02, 0x03];

        var (decoded, stats) = TestFrames.DecodeAll(bytes);

        Assert.Equal(frames, decoded);
        Assert.False(stats.TruncatedTail);
        Assert.Equal(3, stats.BadBytes);
    }

    [Fact]
    public void Read_PartialFrameInNonFinalBlock_LeavesItUnconsumed()
    {
        var bytes = TestFrames.Encode(TestFrames.Random(new Random(8), 2))[..^4];
        var reader = new AdapterFrameReader(bytes, isFinalBlock: false);

        int n = reader.Read(new AdapterFrame[4]);

        Assert.Equal(1, n);
        Assert.Equal(16, reader.BytesConsumed);
        Assert.Equal(0, reader.CurrentState.Stats.BadBytes);
    }

    [Fact]
    public void Fuzz_RandomBytes_NoExceptionAndEveryByteAccountedFor()
    {
        var rng = new Random(20261126);
        for (int trial = 0; trial < 300; trial++)
        {
            var bytes = new byte[rng.Next(0, 3000)];
            rng.NextBytes(bytes);
            if (trial % 3 == 0)
            {
                // Make sync and header common so the checksum path is exercised hard.
                for (int i = 0; i + 1 < bytes.Length; i += rng.Next(1, 20))
                {
                    bytes[i] = AdapterProtocol.SyncByte;
                    bytes[i + 1] = AdapterProtocol.HeaderV1WordFrame;
                }
            }

            var (decoded, stats) = TestFrames.DecodeAll(bytes, destinationLength: rng.Next(1, 50));

            Assert.Equal(bytes.Length, (stats.GoodFrames * 16) + stats.BadBytes);
            Assert.Equal(decoded.Count, stats.GoodFrames);
            Assert.True(stats.BadBytes == 0 || stats.BadByteRuns >= 1);
        }
    }

    [Fact]
    public void Fuzz_GarbageBetweenGoodFrames_AllGoodFramesRecoveredAndRunsCounted()
    {
        var rng = new Random(429);
        for (int trial = 0; trial < 200; trial++)
        {
            var frames = TestFrames.Random(rng, rng.Next(1, 60));
            var bytes = new List<byte>();
            int runs = 0;
            long garbageBytes = 0;
            for (int i = 0; i < frames.Length; i++)
            {
                if (rng.Next(0, 3) == 0)
                {
                    var garbage = new byte[rng.Next(1, 40)];
                    rng.NextBytes(garbage);
                    if (rng.Next(0, 2) == 0)
                    {
                        // A half frame: the most confusing garbage, as after a reconnect.
                        var partial = TestFrames.Encode(TestFrames.Random(rng, 1));
                        garbage = [.. garbage, .. partial.AsSpan(0, rng.Next(1, 16))];
                    }

                    bytes.AddRange(garbage);
                    runs++;
                    garbageBytes += garbage.Length;
                }

                bytes.AddRange(TestFrames.Encode(frames.AsSpan(i, 1)));
            }

            var (decoded, stats) = TestFrames.DecodeAll(bytes.ToArray(), destinationLength: rng.Next(1, 50));

            Assert.Equal(frames, decoded);
            Assert.Equal(runs, stats.BadByteRuns);
            Assert.Equal(garbageBytes, stats.BadBytes);
        }
    }

    [Fact]
    public void Fuzz_GarbageBetweenFramesInRandomChunks_SameAsOneBuffer()
    {
        var rng = new Random(31);
        for (int trial = 0; trial < 100; trial++)
        {
            var frames = TestFrames.Random(rng, 40);
            var bytes = new List<byte>();
            foreach (var f in frames)
            {
                if (rng.Next(0, 4) == 0)
                {
                    var garbage = new byte[rng.Next(1, 30)];
                    rng.NextBytes(garbage);
                    bytes.AddRange(garbage);
                }

                bytes.AddRange(TestFrames.Encode([f]));
            }

            var all = bytes.ToArray();
            var (expected, expectedStats) = TestFrames.DecodeAll(all);
            using var source = new StreamFrameSource(new TrickleStream(all, trial, maxChunk: 23), bufferSize: 64);

            var decoded = TestFrames.ReadToEnd(source.Read, destinationLength: rng.Next(1, 10));

            Assert.Equal(expected, decoded);
            Assert.Equal(frames, decoded);
            Assert.Equal(expectedStats, source.Stats);
        }
    }
}
