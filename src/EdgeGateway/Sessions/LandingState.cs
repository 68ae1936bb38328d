namespace EdgeGateway.Sessions;

/// <summary>
/// Life of a landing session: <c>Idle → Receiving → Processing → Reported</c>. Bus activity starts
/// it, silence (or the maximum duration) ends reception, the summary is built and queued, and the
/// session is reported. The state is journaled so a restart finds a cut session and closes it.
/// </summary>
public enum LandingState
{
    /// <summary>No aircraft connected.</summary>
    Idle,

    /// <summary>Words are arriving and being recorded and processed.</summary>
    Receiving,

    /// <summary>Reception ended; the summary is being built and queued.</summary>
    Processing,

    /// <summary>The summary is in the outbox.</summary>
    Reported,
}
