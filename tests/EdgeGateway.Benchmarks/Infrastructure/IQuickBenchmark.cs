namespace EdgeGateway.Benchmarks.Infrastructure;

/// <summary>
/// A measurement for the quick mode (<c>--quick</c>): runs for a few seconds at most and reports
/// one or more <see cref="QuickResult"/> rows. Each area's folder implements its own.
/// </summary>
public interface IQuickBenchmark
{
    /// <summary>Runs the measurement and returns its rows.</summary>
    IEnumerable<QuickResult> Run();
}

/// <summary>One line of quick-mode output.</summary>
/// <param name="Name">Stable name of the measurement.</param>
/// <param name="RateName">The unit of <paramref name="Rate"/>, e.g. <c>samplesPerSecond</c> or <c>wordsPerSecond</c>.</param>
/// <param name="Rate">Items per second.</param>
/// <param name="AllocatedBytesPerOp">Managed bytes allocated per item in steady state.</param>
/// <param name="Extra">Further named figures (peak memory, ratios), written as extra JSON properties.</param>
public sealed record QuickResult(string Name, string RateName, double Rate, double AllocatedBytesPerOp, IReadOnlyDictionary<string, double>? Extra = null);
