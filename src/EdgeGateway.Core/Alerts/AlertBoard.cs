using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace EdgeGateway.Core.Alerts;

/// <summary>
/// The gateway's current alerts, from every source, in one place. Thread-safe.
/// </summary>
/// <remarks>
/// <para>Flood control: a report whose cause matches an active alert updates that alert (count,
/// last seen, latest evidence, severity only upwards) instead of raising another. After a clear,
/// reports of the same cause are held back for <see cref="AlertBoardOptions.ReRaiseHoldOff"/>
/// (measured on the monotonic clock of the <see cref="TimeProvider"/>) and counted on the cleared
/// alert; after that a report raises a new occurrence with the same <see cref="Alert.Id"/> and a
/// new <see cref="Alert.OccurrenceId"/>.</para>
/// <para>Order: severity (warning first), then raise time (oldest first), then id.</para>
/// <para><see cref="Changed"/> handlers run synchronously on the thread that made the change, one
/// change at a time, in version order, so a subscriber never sees changes out of order. They must
/// be quick (the annunciator writes lamp pins inline and draws the display on its own thread). A
/// handler that throws does not stop the others or the change; it is counted in
/// <see cref="SubscriberFailures"/>.</para>
/// </remarks>
public sealed class AlertBoard
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly AlertBoardOptions _options;
    private readonly Dictionary<string, Alert> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Alert Alert, long ClearedTimestamp)> _holdOff = new(StringComparer.Ordinal);
    private readonly Queue<Alert> _recentlyCleared = new();
    private Alert[] _current = [];
    private long _version;
    private long _subscriberFailures;
    private Exception? _lastSubscriberFailure;

    /// <summary>Creates an empty board.</summary>
    /// <param name="timeProvider">Wall clock for stamps, monotonic clock for the hold-off.</param>
    /// <param name="options">Settings; null takes the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public AlertBoard(TimeProvider timeProvider, AlertBoardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _time = timeProvider;
        _options = options ?? new AlertBoardOptions();
        _options.Validate();
    }

    /// <summary>
    /// Raised after every change, with the alert before and after. See the remarks of
    /// <see cref="AlertBoard"/> for the threading contract.
    /// </summary>
    public event EventHandler<AlertBoardChangedEventArgs>? Changed;

    /// <summary>Active alerts (raised or acknowledged), most severe first. A snapshot; never changes.</summary>
    public ImmutableArray<Alert> Current => ImmutableCollectionsMarshal.AsImmutableArray(Volatile.Read(ref _current));

    /// <summary>Increases by one with every change; 0 for a board that never changed.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>How many times a <see cref="Changed"/> handler threw.</summary>
    public long SubscriberFailures => Interlocked.Read(ref _subscriberFailures);

    /// <summary>The last exception a <see cref="Changed"/> handler threw, if any.</summary>
    public Exception? LastSubscriberFailure => Volatile.Read(ref _lastSubscriberFailure);

    /// <summary>The alert the crew should see first: the most severe unacknowledged crew-facing one, or null.</summary>
    public Alert? MostSevereUnacknowledgedCrewAlert => FirstUnacknowledgedCrew(Current);

    /// <summary>How many crew-facing alerts are raised and not acknowledged.</summary>
    public int UnacknowledgedCrewCount
    {
        get
        {
            int n = 0;
            foreach (Alert a in Current)
            {
                if (a.IsCrewFacing && a.State == AlertState.Raised)
                {
                    n++;
                }
            }

            return n;
        }
    }

    /// <summary>
    /// Takes a finding from any source: raises a new alert, folds it into the active alert of the
    /// same cause, or holds it back within the re-raise hold-off after a clear.
    /// </summary>
    /// <exception cref="ArgumentException">The report is invalid (the message names the field).</exception>
    public AlertReportOutcome Report(AlertReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        report.Validate();
        string id = report.Cause.Id;
        lock (_lock)
        {
            DateTimeOffset now = _time.GetUtcNow();
            if (_active.TryGetValue(id, out Alert? existing))
            {
                Alert repeated = existing.Repeat(report, now);
                var kind = repeated.Severity > existing.Severity && existing.State == AlertState.Acknowledged
                    ? AlertChangeKind.Escalated
                    : AlertChangeKind.Repeated;
                Commit(kind, repeated, existing);
                return new AlertReportOutcome(kind, repeated);
            }

            if (_holdOff.TryGetValue(id, out var held))
            {
                if (_time.GetElapsedTime(held.ClearedTimestamp) < _options.ReRaiseHoldOff)
                {
                    Alert suppressed = held.Alert.Suppress();
                    _holdOff[id] = (suppressed, held.ClearedTimestamp);
                    Commit(AlertChangeKind.Suppressed, suppressed, held.Alert);
                    return new AlertReportOutcome(AlertChangeKind.Suppressed, suppressed);
                }

                _holdOff.Remove(id);
            }

            Alert raised = Alert.Raise(report, now);
            Commit(AlertChangeKind.Raised, raised, null);
            return new AlertReportOutcome(AlertChangeKind.Raised, raised);
        }
    }

    /// <summary>Acknowledges one alert.</summary>
    /// <exception cref="KeyNotFoundException">No alert with that id is on the board.</exception>
    /// <exception cref="AlertStateException">The alert is already acknowledged or cleared.</exception>
    public Alert Acknowledge(string alertId, string by, AcknowledgeChannel channel)
    {
        lock (_lock)
        {
            Alert existing = GetActiveOrThrow(alertId, AlertState.Acknowledged);
            Alert acknowledged = existing.Acknowledge(by, channel, _time.GetUtcNow());
            Commit(AlertChangeKind.Acknowledged, acknowledged, existing);
            return acknowledged;
        }
    }

    /// <summary>
    /// Acknowledges the most severe unacknowledged crew-facing alert (what the panel button does).
    /// Returns it, or null when there was none.
    /// </summary>
    public Alert? AcknowledgeMostSevere(string by, AcknowledgeChannel channel)
    {
        lock (_lock)
        {
            Alert? top = FirstUnacknowledgedCrew(Current);
            if (top is null)
            {
                return null;
            }

            Alert acknowledged = top.Acknowledge(by, channel, _time.GetUtcNow());
            Commit(AlertChangeKind.Acknowledged, acknowledged, top);
            return acknowledged;
        }
    }

    /// <summary>Clears an acknowledged alert; it leaves <see cref="Current"/> and the re-raise hold-off starts.</summary>
    /// <exception cref="KeyNotFoundException">No alert with that id is on the board.</exception>
    /// <exception cref="AlertStateException">The alert is not acknowledged, or already cleared.</exception>
    public Alert Clear(string alertId, string by)
    {
        lock (_lock)
        {
            Alert existing = GetActiveOrThrow(alertId, AlertState.Cleared);
            Alert cleared = existing.Clear(by, _time.GetUtcNow());
            Commit(AlertChangeKind.Cleared, cleared, existing);
            return cleared;
        }
    }

    /// <summary>Finds an alert by id: the active one, else the last cleared occurrence still remembered.</summary>
    public bool TryGet(string alertId, out Alert? alert)
    {
        lock (_lock)
        {
            if (_active.TryGetValue(alertId, out alert))
            {
                return true;
            }

            if (_holdOff.TryGetValue(alertId, out var held))
            {
                alert = held.Alert;
                return true;
            }

            alert = _recentlyCleared.LastOrDefault(a => a.Id == alertId);
            return alert is not null;
        }
    }

    /// <summary>The last cleared alerts (at most <see cref="AlertBoardOptions.MaxClearedKept"/>), oldest first.</summary>
    public ImmutableArray<Alert> GetRecentlyCleared()
    {
        lock (_lock)
        {
            return [.. _recentlyCleared];
        }
    }

    private Alert GetActiveOrThrow(string alertId, AlertState wanted)
    {
        ArgumentNullException.ThrowIfNull(alertId);
        if (_active.TryGetValue(alertId, out Alert? existing))
        {
            return existing;
        }

        if (_holdOff.TryGetValue(alertId, out var held))
        {
            throw new AlertStateException(alertId, held.Alert.State, wanted);
        }

        throw new KeyNotFoundException($"no alert with id {alertId} is on the board");
    }

    private static Alert? FirstUnacknowledgedCrew(ImmutableArray<Alert> ordered)
    {
        foreach (Alert a in ordered)
        {
            if (a.IsCrewFacing && a.State == AlertState.Raised)
            {
                return a;
            }
        }

        return null;
    }

    // Called with _lock held: applies the change, republishes the ordered snapshot, then tells the
    // subscribers while still holding the lock so they see changes one at a time, in order.
    private void Commit(AlertChangeKind kind, Alert alert, Alert? previous)
    {
        switch (kind)
        {
            case AlertChangeKind.Cleared:
                _active.Remove(alert.Id);
                _holdOff[alert.Id] = (alert, _time.GetTimestamp());
                _recentlyCleared.Enqueue(alert);
                while (_recentlyCleared.Count > _options.MaxClearedKept)
                {
                    _recentlyCleared.Dequeue();
                }

                PruneHoldOff();
                break;
            case AlertChangeKind.Suppressed:
                break;
            default:
                _active[alert.Id] = alert;
                break;
        }

        if (kind != AlertChangeKind.Suppressed)
        {
            Volatile.Write(ref _current, [.. _active.Values.OrderByDescending(a => a.Severity).ThenBy(a => a.RaisedAt).ThenBy(a => a.Id, StringComparer.Ordinal)]);
        }

        long version = Interlocked.Increment(ref _version);
        EventHandler<AlertBoardChangedEventArgs>? handlers = Changed;
        if (handlers is null)
        {
            return;
        }

        var args = new AlertBoardChangedEventArgs(kind, alert, previous, version);
        foreach (EventHandler<AlertBoardChangedEventArgs> handler in handlers.GetInvocationList().Cast<EventHandler<AlertBoardChangedEventArgs>>())
        {
            try
            {
                handler(this, args);
            }
#pragma warning disable CA1031 // One failing subscriber must not stop the lamps or the uplink; it is counted.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _subscriberFailures);
                Volatile.Write(ref _lastSubscriberFailure, e);
            }
        }
    }

    private void PruneHoldOff()
    {
        List<string>? expired = null;
        foreach (var (id, held) in _holdOff)
        {
            if (_time.GetElapsedTime(held.ClearedTimestamp) >= _options.ReRaiseHoldOff)
            {
                (expired ??= []).Add(id);
            }
        }

        if (expired is not null)
        {
            foreach (string id in expired)
            {
                _holdOff.Remove(id);
            }
        }
    }
}
