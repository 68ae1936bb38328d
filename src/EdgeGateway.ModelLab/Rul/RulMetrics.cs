namespace EdgeGateway.ModelLab.Rul;

/// <summary>RMSE and the PHM08 score (d = predicted - true; late predictions cost more).</summary>
public static class RulMetrics
{
    /// <summary>Root mean squared error.</summary>
    public static double Rmse(IReadOnlyList<double> predicted, IReadOnlyList<double> actual)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(actual);
        double s = 0;
        for (var i = 0; i < predicted.Count; i++)
        {
            var d = predicted[i] - actual[i];
            s += d * d;
        }

        return Math.Sqrt(s / predicted.Count);
    }

    /// <summary>PHM08 score: sum of exp(-d/13)-1 for d &lt; 0 and exp(d/10)-1 for d &gt;= 0.</summary>
    public static double Phm08(IReadOnlyList<double> predicted, IReadOnlyList<double> actual)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(actual);
        double s = 0;
        for (var i = 0; i < predicted.Count; i++)
        {
            var d = predicted[i] - actual[i];
            s += d < 0 ? Math.Exp(-d / 13.0) - 1 : Math.Exp(d / 10.0) - 1;
        }

        return s;
    }
}
