namespace EdgeGateway.Core.Models;

/// <summary>
/// How a RUL window longer than the history behind it is filled (a manifest with
/// <see cref="InputSpec.MinimumRows"/>): the positions before the history's first row repeat that
/// row. The model lab trains and scores through <see cref="Row"/> and the gateway's estimator pads
/// an engine's snapshot history through it, so both build the same window.
/// </summary>
public static class HistoryPadding
{
    /// <summary>
    /// The row feeding position <paramref name="t"/> (0 = oldest) of the <paramref name="window"/>-row
    /// window that ends at row <paramref name="lastRow"/> of a history starting at row
    /// <paramref name="firstRow"/>.
    /// </summary>
    public static int Row(int firstRow, int lastRow, int window, int t) => Math.Max(firstRow, lastRow - window + 1 + t);
}
