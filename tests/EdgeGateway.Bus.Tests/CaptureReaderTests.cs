using System.Buffers.Binary;
using System.Text;

namespace EdgeGateway.Bus.Tests;

public class CaptureReaderTests
{
    private static byte[] WriteCapture(AdapterFrame[] frames, CaptureHeader? header = null)
    {
        var ms = new MemoryStream();
        using (var writer = new CaptureWriter(ms, header ?? TestFrames.Header(), leaveOpen: true))
        {
            writer.Write(frames);
        }

        return ms.ToArray();
    }

    private static int HeaderBlockLength(byte[] capture) =>
        14 + (int)BinaryPrimitives.ReadUInt32LittleEndian(capture.AsSpan(10)) + 2;

    [Fact]
    public void Read_WrittenCapture_ReturnsHeaderAndFrames()
    {
        var frames = TestFrames.Random(new Random(11), 10_000);
        var header = TestFrames.Header();

        using var reader = new CaptureReader(new MemoryStream(WriteCapture(frames, header)));
        var decoded = TestFrames.ReadToEnd(reader.Read, destinationLength: 1000);

        Assert.Equal(frames, decoded);
        Assert.False(reader.IsTruncated);
        Assert.Equal(0, reader.Stats.BadBytes);
        Assert.Equal(header.TailNumber, reader.Header.TailNumber);
        Assert.Equal(header.AircraftType, reader.Header.AircraftType);
        Assert.Equal(header.FlightId, reader.Header.FlightId);
        Assert.Equal(header.LabelTableName, reader.Header.LabelTableName);
        Assert.Equal(header.LabelTableSha256, reader.Header.LabelTableSha256);
        Assert.Equal(header.AdapterModel, reader.Header.AdapterModel);
        Assert.Equal(header.AdapterFirmware, reader.Header.AdapterFirmware);
        Assert.Equal(header.RecordingStartUtc, reader.Header.RecordingStartUtc);
        Assert.Equal(header.Metadata.OrderBy(kv => kv.Key), reader.Header.Metadata.OrderBy(kv => kv.Key));
    }

    [Fact]
    public void Write_Header_HasDocumentedPrefixAndJson()
    {
        var bytes = WriteCapture([]);

        Assert.Equal(Convert.FromHexString("894547434150" + "0D0A"), bytes[..8]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)));
        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(10));
        Assert.Equal(14 + length + 2, bytes.Length);
        string json = Encoding.UTF8.GetString(bytes, 14, length);
        Assert.Contains("\"tailNumber\": \"D-AIZA\"", json, StringComparison.Ordinal);
        Assert.Contains("\"recordingStartUtc\": \"2026-11-26T10:15:00.0000000Z\"", json, StringComparison.Ordinal);
        // Metadata is written sorted by key, so the same header always gives the same bytes.
        Assert.True(json.IndexOf("\"gate\"", StringComparison.Ordinal) < json.IndexOf("\"simulator.seed\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Write_DocumentedExample_MatchesCaptureFormatDocument()
    {
        // The example in firmware-config/capture-format.md: this header and one frame.
        var bytes = WriteCapture([new AdapterFrame(2, 1_234_567_890, 0x1234_56C1, AdapterStatus.HighSpeed)]);

        Assert.Equal(486, bytes.Length);
        Assert.Equal(Convert.FromHexString("8945474341500D0A0100C60100007B0A"), bytes[..16]);
        Assert.Equal(Convert.FromHexString("0F45"), bytes[468..470]);
        Assert.Equal(Convert.FromHexString("A5100204D202964900" + "00C1563412DAD1"), bytes[470..]);
    }

    [Fact]
    public void Write_SameHeaderTwice_SameBytes()
    {
        var frames = TestFrames.Random(new Random(12), 50);

        Assert.Equal(WriteCapture(frames), WriteCapture(frames));
    }

    [Fact]
    public async Task ReadAsync_WrittenCapture_ReturnsFrames()
    {
        var frames = TestFrames.Random(new Random(13), 3000);
        await using var reader = new CaptureReader(new MemoryStream(WriteCapture(frames)));
        var decoded = new List<AdapterFrame>();
        var dest = new AdapterFrame[128];

        int n;
        while ((n = await reader.ReadAsync(dest)) > 0)
        {
            decoded.AddRange(dest.AsSpan(0, n));
        }

        Assert.Equal(frames, decoded);
    }

    [Fact]
    public void Open_FileOnDisk_ReadsFramesAndHeader()
    {
        string dir = Directory.CreateTempSubdirectory("edgegateway-bus-").FullName;
        try
        {
            string path = Path.Combine(dir, "landing.egcap");
            var frames = TestFrames.Random(new Random(14), 20_000);
            using (var writer = CaptureWriter.Create(path, TestFrames.Header()))
            {
                foreach (var f in frames)
                {
                    writer.Write(f);
                }

                Assert.Equal(20_000, writer.FramesWritten);
            }

            using var reader = CaptureReader.Open(path);
            Assert.Equal(frames, TestFrames.ReadToEnd(reader.Read, 4096));
            Assert.Equal("D-AIZA", reader.Header.TailNumber);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Read_TruncatedAtEveryOffset_ReadsUpToTheCutAndReportsIt()
    {
        var frames = TestFrames.Random(new Random(15), 5);
        var capture = WriteCapture(frames);
        int headerLength = HeaderBlockLength(capture);

        for (int cut = 0; cut <= capture.Length; cut++)
        {
            var stream = new MemoryStream(capture, 0, cut);
            if (cut < headerLength)
            {
                var ex = Assert.Throws<InvalidDataException>(() => new CaptureReader(stream));
                Assert.False(string.IsNullOrWhiteSpace(ex.Message));
                continue;
            }

            using var reader = new CaptureReader(stream);
            var decoded = TestFrames.ReadToEnd(reader.Read, destinationLength: 2);

            int frameBytes = cut - headerLength;
            Assert.Equal(frames[..(frameBytes / 16)], decoded);
            Assert.Equal(frameBytes % 16 != 0, reader.IsTruncated);
            Assert.Equal(frameBytes % 16, reader.Stats.TruncatedTailBytes);
            Assert.Equal(frameBytes % 16, reader.Stats.BadBytes);
        }
    }

    [Theory]
    [InlineData(0, "ends after 0 bytes")]
    [InlineData(5, "inside the 8-byte magic")]
    [InlineData(12, "inside the 14-byte prefix")]
    [InlineData(20, "Capture header cut off")]
    public void Constructor_CutHeader_SaysWhere(int length, string expected)
    {
        var capture = WriteCapture([]);

        var ex = Assert.Throws<InvalidDataException>(() => new CaptureReader(new MemoryStream(capture, 0, length)));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_WrongMagic_SaysNotACapture()
    {
        var capture = WriteCapture([]);
        capture[1] = (byte)'X';

        var ex = Assert.Throws<InvalidDataException>(() => new CaptureReader(new MemoryStream(capture)));

        Assert.Contains("Not a capture file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NewerVersion_SaysUnsupported()
    {
        var capture = WriteCapture([]);
        capture[8] = 2;

        var ex = Assert.Throws<InvalidDataException>(() => new CaptureReader(new MemoryStream(capture)));

        Assert.Contains("version 2 is not supported", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_HugeHeaderLength_RejectedWithoutAllocating()
    {
        var capture = WriteCapture([]);
        BinaryPrimitives.WriteUInt32LittleEndian(capture.AsSpan(10), uint.MaxValue);

        var ex = Assert.Throws<InvalidDataException>(() => new CaptureReader(new MemoryStream(capture)));

        Assert.Contains("header length 4294967295", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_CorruptHeaderByte_SaysChecksumMismatch()
    {
        var capture = WriteCapture([]);
        capture[30] ^= 0x01;

        var ex = Assert.Throws<InvalidDataException>(() => new CaptureReader(new MemoryStream(capture)));

        Assert.Contains("checksum mismatch", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"aircraft":{"type":"A320","flightId":"F1"},"labelTable":{"name":"t","sha256":"%SHA%"},"adapter":{"model":"m","firmware":"f"},"recordingStartUtc":"2026-11-26T10:15:00Z"}""", "missing field 'aircraft.tailNumber'")]
    [InlineData("""{"aircraft":{"tailNumber":"D-AIZA","type":"A320","flightId":"F1"},"labelTable":{"name":"t","sha256":"abc"},"adapter":{"model":"m","firmware":"f"},"recordingStartUtc":"2026-11-26T10:15:00Z"}""", "'labelTable.sha256' must be 64 lowercase hex digits")]
    [InlineData("""{"aircraft":{"tailNumber":"D-AIZA","type":"A320","flightId":"F1"},"labelTable":{"name":"t","sha256":"%SHA%"},"adapter":{"model":"m","firmware":"f"},"recordingStartUtc":"yesterday"}""", "'recordingStartUtc' must be an ISO 8601 UTC time")]
    [InlineData("""{"aircraft":{"tailNumber":"D-AIZA","type":"A320","flightId":"F1"},"labelTable":{"name":"t","sha256":"%SHA%"},"adapter":{"model":"m","firmware":"f"},"recordingStartUtc":"2026-11-26T10:15:00Z","metadata":{"seed":42}}""", "'metadata.seed' must be a string")]
    [InlineData("""[1,2]""", "must be a JSON object")]
    [InlineData("""{"aircraft": """, "not valid JSON")]
    public void Constructor_BadHeaderJson_NamesTheProblem(string json, string expected)
    {
        json = json.Replace("%SHA%", new string('a', 64), StringComparison.Ordinal);
        var body = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[14 + body.Length + 2];
        CaptureFormat.Magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(10), (uint)body.Length);
        body.CopyTo(bytes, 14);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(14 + body.Length), Crc16CcittFalse.Compute(body));

        var ex = Assert.Throws<InvalidDataException>(() => new CaptureReader(new MemoryStream(bytes)));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_BadFile_MessageNamesThePath()
    {
        string dir = Directory.CreateTempSubdirectory("edgegateway-bus-").FullName;
        try
        {
            string path = Path.Combine(dir, "not-a-capture.egcap");
            File.WriteAllText(path, "hello, this is text");

            var ex = Assert.Throws<InvalidDataException>(() => CaptureReader.Open(path));

            Assert.StartsWith(path, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Fuzz_RandomFiles_OnlyInvalidDataException()
    {
        var rng = new Random(8080);
        var good = WriteCapture(TestFrames.Random(rng, 20));
        for (int trial = 0; trial < 500; trial++)
        {
            byte[] bytes;
            if (trial % 2 == 0)
            {
                bytes = new byte[rng.Next(0, 400)];
                rng.NextBytes(bytes);
                if (trial % 4 == 0 && bytes.Length >= 8)
                {
                    CaptureFormat.Magic.CopyTo(bytes);
                }
            }
            else
            {
                // A real capture with a few random bytes overwritten anywhere, header included.
                bytes = (byte[])good.Clone();
                for (int k = rng.Next(1, 6); k > 0; k--)
                {
                    bytes[rng.Next(bytes.Length)] = (byte)rng.Next(256);
                }
            }

            try
            {
                using var reader = new CaptureReader(new MemoryStream(bytes));
                var decoded = TestFrames.ReadToEnd(reader.Read, destinationLength: rng.Next(1, 20));
                var stats = reader.Stats;
                Assert.Equal(bytes.Length - HeaderBlockLength(bytes), (stats.GoodFrames * 16) + stats.BadBytes);
                Assert.Equal(decoded.Count, stats.GoodFrames);
            }
            catch (InvalidDataException)
            {
                // A damaged header must be refused with this exception and no other.
            }
        }
    }

    [Fact]
    public void Fuzz_GarbageInsideFrames_GoodFramesRecovered()
    {
        var rng = new Random(747);
        for (int trial = 0; trial < 50; trial++)
        {
            var frames = TestFrames.Random(rng, 200);
            var header = WriteCapture([]);
            var body = new List<byte>(header);
            int runs = 0;
            foreach (var f in frames)
            {
                if (rng.Next(0, 10) == 0)
                {
                    var garbage = new byte[rng.Next(1, 50)];
                    rng.NextBytes(garbage);
                    body.AddRange(garbage);
                    runs++;
                }

                body.AddRange(TestFrames.Encode([f]));
            }

            using var reader = new CaptureReader(new TrickleStream(body.ToArray(), trial, maxChunk: 100), bufferSize: 256);
            var decoded = TestFrames.ReadToEnd(reader.Read);

            Assert.Equal(frames, decoded);
            Assert.Equal(runs, reader.Stats.BadByteRuns);
        }
    }

    [Fact]
    public void Writer_InvalidHeader_ThrowsArgumentExceptionNamingTheField()
    {
        var header = TestFrames.Header() with { TailNumber = " ", LabelTableSha256 = "XYZ" };

        var ex = Assert.Throws<ArgumentException>(() => new CaptureWriter(new MemoryStream(), header));

        Assert.Contains("aircraft.tailNumber is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("labelTable.sha256", ex.Message, StringComparison.Ordinal);
    }
}
