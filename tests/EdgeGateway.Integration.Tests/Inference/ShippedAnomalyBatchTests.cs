using EdgeGateway.Inference;
using EdgeGateway.Inference.Packages;

namespace EdgeGateway.Integration.Tests.Inference;

/// <summary>
/// The shipped anomaly package scores a window to the same bits whatever else is in its ONNX
/// Runtime batch: its int8 file quantises weights only (activations stay float), so the gateway may
/// score a partial batch when live data pauses and still match a replay that scored full batches.
/// </summary>
public sealed class ShippedAnomalyBatchTests
{
    [Theory]
    [InlineData("int8")]
    [InlineData("fp32")]
    public void Run_WindowInDifferentBatches_SameScoreBits(string role)
    {
        using var set = ModelSet.Load(Path.Combine(RepoPaths.Root, "models"), Path.Combine(RepoPaths.Root, "firmware-config", "trusted-keys"), new InferenceOptions { PreferredRole = role, BatchWindows = 64 });
        var package = set.Anomaly;
        Assert.True(package is not null, set.StatusLine);
        var model = package.Model;
        int n = model.SampleValues;
        var self = package.Manifest.SelfTest!.Input;
        var rng = new Random(3);
        var windows = new float[64][];
        for (int i = 0; i < windows.Length; i++)
        {
            windows[i] = [.. self.Select(v => v + (float)(rng.NextDouble() - 0.5))];
        }

        // All 64 in one batch.
        for (int i = 0; i < 64; i++)
        {
            windows[i].CopyTo(model.Input.AsSpan(i * n, n));
        }

        model.Run(64);
        var full = model.Output.AsSpan(0, 64).ToArray();

        // Same slot, same batch size, other slots holding other windows (or stale ones).
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 64; i++)
            {
                if ((i + round) % 3 != 0)
                {
                    windows[(i * 7 + round) % 64].CopyTo(model.Input.AsSpan(i * n, n));
                }
            }

            for (int i = round; i < 64; i += 3)
            {
                windows[i].CopyTo(model.Input.AsSpan(i * n, n));
            }

            model.Run(64);
            for (int i = round; i < 64; i += 3)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(full[i]), BitConverter.SingleToInt32Bits(model.Output[i]));
            }
        }
    }
}
