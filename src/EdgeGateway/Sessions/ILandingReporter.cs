using EdgeGateway.Core.Summaries;

namespace EdgeGateway.Sessions;

/// <summary>Takes a finished landing's summary (the uplink outbox, the local API's recent summaries).</summary>
public interface ILandingReporter
{
    /// <summary>Called once per session when its summary is ready; must be durable when it returns.</summary>
    ValueTask ReportAsync(string sessionId, FlightSummary summary, CancellationToken cancellationToken);
}
