using System.Globalization;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeGateway.Uplink;

/// <summary>
/// The one loop that owns the MQTTnet client: connects (with exponential backoff and jitter), publishes the outbox
/// in order per class with alerts first, deletes each message only after its PUBACK, paces replayed backlog,
/// keeps the retained status current and detects half-open connections with its own ping timeout.
/// </summary>
/// <remarks>
/// MQTTnet 5 has no managed client (publishing throws while disconnected and nothing is retried), so this loop is
/// the retry logic. Within a batch up to <see cref="UplinkOptions.MaxInFlight"/> QoS 1 publishes are in flight;
/// only the acknowledged prefix of a batch is removed, so after a failure the rest is sent again in order and the
/// backend sees at worst duplicates it can drop by message id, never a reordering.
/// </remarks>
public sealed class UplinkSupervisor
{
    /// <summary>MQTT user property carrying <see cref="UplinkPayloads.SchemaVersion"/>.</summary>
    public const string SchemaVersionProperty = "schema-version";

    /// <summary>MQTT user property carrying the message id.</summary>
    public const string MessageIdProperty = "message-id";

    private static readonly ReadOnlyMemory<byte> s_schemaVersionUtf8 = Encoding.UTF8.GetBytes(UplinkPayloads.SchemaVersion.ToString(CultureInfo.InvariantCulture));

    private readonly UplinkOptions _options;
    private readonly Outbox _outbox;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ReconnectBackoff _backoff;
    private readonly UplinkTopics _topics;
    private readonly MqttClientFactory _factory = new();
    private readonly string _brokerName;
    private long _published;
    private long _connections;
    private volatile bool _connected;

    /// <summary>Creates the supervisor; call <see cref="RunAsync"/> to start it.</summary>
    /// <param name="options">Uplink options; validated here.</param>
    /// <param name="outbox">The outbox to drain.</param>
    /// <param name="timeProvider">Clock for delays, pacing and stamps; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Logger; nothing is logged when null.</param>
    /// <param name="random">Jitter source; a seeded instance makes reconnect delays reproducible.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public UplinkSupervisor(UplinkOptions options, Outbox outbox, TimeProvider? timeProvider = null, ILogger? logger = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(outbox);
        UplinkOptionsValidator.ThrowIfInvalid(options);
        _options = options;
        _outbox = outbox;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _backoff = new ReconnectBackoff(options.ReconnectInitialDelay, options.ReconnectMaxDelay, random ?? new Random());
        _topics = new UplinkTopics(options.OperatorId, options.GatewayId);
        _brokerName = options.UseEmbeddedBroker
            ? $"127.0.0.1:{options.EmbeddedBrokerPort} (embedded)"
            : string.Create(CultureInfo.InvariantCulture, $"{options.BrokerHost}:{options.BrokerPort}");
    }

    /// <summary>The gateway's topics.</summary>
    public UplinkTopics Topics => _topics;

    /// <summary>True while a connection is established.</summary>
    public bool IsConnected => _connected;

    /// <summary>Messages acknowledged by the broker since start.</summary>
    public long PublishedCount => Interlocked.Read(ref _published);

    /// <summary>Successful connections since start.</summary>
    public long ConnectionCount => Interlocked.Read(ref _connections);

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled, then publishes an offline status and
    /// disconnects cleanly (so the Last Will is not sent). Never throws for broker or network trouble.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = _factory.CreateMqttClient();
            var wasConnected = false;
            TimeSpan delay;
            try
            {
                var connectResult = await ConnectAsync(client, cancellationToken).ConfigureAwait(false);
                wasConnected = true;
                attempt = 0;
                await RunConnectedAsync(client, connectResult, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (IsConnectionProblem(ex))
            {
                attempt++;
                delay = _backoff.NextDelay(attempt);
                if (wasConnected)
                {
                    Log.ConnectionLost(_logger, _brokerName, Describe(ex));
                }
                else
                {
                    Log.ConnectFailed(_logger, _brokerName, attempt, (long)delay.TotalMilliseconds, Describe(ex));
                }
            }
            catch (Exception ex)
            {
                // A bug or a failing outbox: count it in the log at error level, back off, and keep the uplink alive.
                Log.SupervisorFailed(_logger, ex);
                attempt++;
                delay = _backoff.NextDelay(attempt);
            }
            finally
            {
                _connected = false;
                client.Dispose();
            }

            if (!await DelayAsync(delay, cancellationToken).ConfigureAwait(false))
            {
                break;
            }
        }

        Log.Stopped(_logger, _outbox.GetStatistics().TotalDepth);
    }

    private async Task<MqttClientConnectResult> ConnectAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        var clientOptions = UplinkClientOptions.Create(_options, _timeProvider);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            var result = await client.ConnectAsync(clientOptions, timeout.Token).ConfigureAwait(false);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new MqttCommunicationException($"Broker refused the connection: {result.ResultCode} {result.ReasonString}");
            }

            return result;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No CONNACK within {_options.ConnectTimeout}.");
        }
    }

    private async Task RunConnectedAsync(IMqttClient client, MqttClientConnectResult connectResult, CancellationToken cancellationToken)
    {
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DisconnectedAsync += _ =>
        {
            disconnected.TrySetResult();
            return Task.CompletedTask;
        };

        _connected = true;
        Interlocked.Increment(ref _connections);

        // Everything already stored waited through an outage or a restart: it is replayed backlog.
        var replayWatermark = _outbox.GetStatistics().MaxSequence;
        await _outbox.ExpireAsync(cancellationToken).ConfigureAwait(false);
        var stats = _outbox.GetStatistics();
        Log.Connected(_logger, _brokerName, _options.EffectiveClientId, connectResult.IsSessionPresent, stats.TotalDepth);

        var window = _options.MaxInFlight;
        if (connectResult.ReceiveMaximum is ushort receiveMaximum and > 0)
        {
            window = Math.Min(window, receiveMaximum);
        }

        var pacer = new DrainPacer(_options.BacklogDrainRate, _timeProvider);
        await PublishStatusAsync(client, online: true, cancellationToken).ConfigureAwait(false);
        var reportedDrops = stats.TotalDropped;
        var nextStatus = _timeProvider.GetUtcNow() + _options.StatusInterval;
        var lastActivity = _timeProvider.GetTimestamp();
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (disconnected.Task.IsCompleted || !client.IsConnected)
                {
                    throw new MqttClientDisconnectedException(null);
                }

                var batch = await _outbox.ReadNextAsync(_options.PublishBatchSize, cancellationToken).ConfigureAwait(false);
                if (batch.Count > 0)
                {
                    await PublishBatchAsync(client, batch, replayWatermark, window, pacer, cancellationToken).ConfigureAwait(false);
                    lastActivity = _timeProvider.GetTimestamp();
                }
                else
                {
                    var idle = _timeProvider.GetElapsedTime(lastActivity);
                    var untilStatus = nextStatus - _timeProvider.GetUtcNow();
                    var wait = Min(_options.KeepAlivePeriod - idle, untilStatus);
                    if (wait > TimeSpan.Zero)
                    {
                        await WaitForWorkAsync(wait, disconnected.Task, cancellationToken).ConfigureAwait(false);
                    }

                    if (_timeProvider.GetElapsedTime(lastActivity) >= _options.KeepAlivePeriod)
                    {
                        await PingAsync(client, cancellationToken).ConfigureAwait(false);
                        lastActivity = _timeProvider.GetTimestamp();
                    }
                }

                stats = _outbox.GetStatistics();
                var now = _timeProvider.GetUtcNow();
                if (now >= nextStatus)
                {
                    await _outbox.ExpireAsync(cancellationToken).ConfigureAwait(false);
                }

                if (now >= nextStatus || stats.TotalDropped != reportedDrops)
                {
                    await PublishStatusAsync(client, online: true, cancellationToken).ConfigureAwait(false);
                    reportedDrops = stats.TotalDropped;
                    nextStatus = now + _options.StatusInterval;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await SayGoodbyeAsync(client).ConfigureAwait(false);
            throw;
        }
    }

    private async Task PublishBatchAsync(IMqttClient client, IReadOnlyList<OutboxEntry> batch, long replayWatermark, int window, DrainPacer pacer, CancellationToken cancellationToken)
    {
        var inFlight = new Queue<(OutboxEntry Entry, Task<MqttClientPublishResult> Publish)>(window);
        var acknowledged = new List<long>(batch.Count);
        Exception? failure = null;
        var refused = false;

        async Task CompleteOldestAsync()
        {
            var (entry, publish) = inFlight.Dequeue();
            try
            {
                var result = await publish.WaitAsync(_options.PublishTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
                if (result.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers)
                {
                    if (failure is null && !refused)
                    {
                        acknowledged.Add(entry.Sequence);
                    }
                }
                else if (!refused)
                {
                    refused = true;
                    Log.PublishRefused(_logger, entry.MessageId, _topics.For(entry.Class), result.ReasonCode.ToString(), result.ReasonString);
                }
            }
            catch (TimeoutException ex)
            {
                failure ??= new TimeoutException($"No PUBACK within {_options.PublishTimeout}; the connection is half-open.", ex);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failure ??= ex;
            }
        }

        try
        {
            foreach (var entry in batch)
            {
                if (failure is not null || refused)
                {
                    break;
                }

                var replayed = entry.Sequence <= replayWatermark;
                if (replayed)
                {
                    await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
                }

                while (inFlight.Count >= window)
                {
                    await CompleteOldestAsync().ConfigureAwait(false);
                }

                inFlight.Enqueue((entry, client.PublishAsync(BuildMessage(entry, replayed), cancellationToken)));
            }

            while (inFlight.Count > 0)
            {
                await CompleteOldestAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            // Abandoned publishes (cancellation) still get observed so their faults are not left unobserved.
            foreach (var (_, publish) in inFlight)
            {
                _ = publish.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }

            // CancellationToken.None: acknowledged messages must be removed even while shutting down.
            await _outbox.AcknowledgeAsync(acknowledged, CancellationToken.None).ConfigureAwait(false);
            Interlocked.Add(ref _published, acknowledged.Count);
        }

        if (failure is not null)
        {
            throw failure;
        }

        if (refused)
        {
            throw new MqttCommunicationException("The broker refused a publish; reconnecting before retrying it.");
        }
    }

    private MqttApplicationMessage BuildMessage(OutboxEntry entry, bool replayed)
    {
        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(_topics.For(entry.Class))
            .WithPayload(UplinkPayloads.SerializeEnvelope(entry, _options.GatewayId, replayed))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithContentType(UplinkPayloads.ContentType)
            .WithPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData)
            .WithUserProperty(SchemaVersionProperty, s_schemaVersionUtf8)
            .WithUserProperty(MessageIdProperty, Encoding.UTF8.GetBytes(entry.MessageId.ToString("D")));
        if (_outbox.TimeToLive(entry.Class) is { } ttl)
        {
            builder.WithMessageExpiryInterval(MessageExpirySeconds(ttl, entry.CreatedUtc, _timeProvider.GetUtcNow()));
        }

        return builder.Build();
    }

    /// <summary>Remaining time-to-live in whole seconds (at least 1); a stamp in the future counts as age zero.</summary>
    internal static uint MessageExpirySeconds(TimeSpan timeToLive, DateTimeOffset createdUtc, DateTimeOffset now)
    {
        var age = now - createdUtc;
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        var remaining = Math.Ceiling((timeToLive - age).TotalSeconds);
        return (uint)Math.Clamp(remaining, 1, uint.MaxValue - 1);
    }

    private async Task PublishStatusAsync(IMqttClient client, bool online, CancellationToken cancellationToken)
    {
        var status = UplinkPayloads.CreateStatus(_options.GatewayId, online, _timeProvider.GetUtcNow(), _options.Versions, _outbox.GetStatistics());
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(_topics.Status)
            .WithPayload(UplinkPayloads.SerializeStatus(status))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag()
            .WithContentType(UplinkPayloads.ContentType)
            .WithPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData)
            .WithUserProperty(SchemaVersionProperty, s_schemaVersionUtf8)
            .Build();
        var result = await client.PublishAsync(message, cancellationToken).WaitAsync(_options.PublishTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        if (result.ReasonCode is not (MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers))
        {
            Log.PublishRefused(_logger, Guid.Empty, _topics.Status, result.ReasonCode.ToString(), result.ReasonString);
        }
    }

    private async Task SayGoodbyeAsync(IMqttClient client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(_options.PingTimeout);
        try
        {
            await PublishStatusAsync(client, online: false, timeout.Token).ConfigureAwait(false);
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionProblem(ex))
        {
            // Shutting down anyway; the broker sends the Last Will when the connection just drops.
            Log.ConnectionLost(_logger, _brokerName, "during shutdown: " + Describe(ex));
        }
    }

    private async Task PingAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        try
        {
            await client.PingAsync(cancellationToken).WaitAsync(_options.PingTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or MqttCommunicationTimedOutException)
        {
            Log.HalfOpen(_logger, _brokerName, (long)_options.PingTimeout.TotalMilliseconds);
            throw;
        }
    }

    private async Task WaitForWorkAsync(TimeSpan wait, Task disconnected, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var change = _outbox.WaitForChangeAsync(cts.Token);
        var delay = Task.Delay(wait, _timeProvider, cts.Token);
        await Task.WhenAny(change, delay, disconnected).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(change, delay).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static bool IsConnectionProblem(Exception ex) => ex is MqttCommunicationException or MqttProtocolViolationException or IOException or SocketException
        or AuthenticationException or TimeoutException or OperationCanceledException or ObjectDisposedException
        || (ex is AggregateException agg && agg.InnerExceptions.All(IsConnectionProblem));

    private static string Describe(Exception ex)
    {
        var text = ex.GetType().Name + ": " + ex.Message;
        return ex.InnerException is { } inner ? text + " -> " + Describe(inner) : text;
    }
}
