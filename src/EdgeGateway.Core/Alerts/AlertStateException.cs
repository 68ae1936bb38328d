namespace EdgeGateway.Core.Alerts;

/// <summary>An alert was asked to move to a state its current state does not allow.</summary>
public sealed class AlertStateException : InvalidOperationException
{
    /// <summary>Creates the exception for a rejected transition.</summary>
    public AlertStateException(string alertId, AlertState from, AlertState to)
        : base($"alert {alertId} cannot go from {from} to {to}: allowed are Raised -> Acknowledged -> Cleared")
    {
        AlertId = alertId;
        From = from;
        To = to;
    }

    /// <summary>Creates the exception with a message.</summary>
    public AlertStateException()
        : base("invalid alert state transition")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public AlertStateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public AlertStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The alert concerned.</summary>
    public string AlertId { get; } = "";

    /// <summary>Its state at the time.</summary>
    public AlertState From { get; }

    /// <summary>The state that was asked for.</summary>
    public AlertState To { get; }
}
