using System.Collections.Immutable;
using System.Device.Gpio;
using System.Device.I2c;
using System.Threading.Channels;
using EdgeGateway.Core.Alerts;
using Iot.Device.Button;
using Iot.Device.CharacterLcd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeGateway.Crew;

/// <summary>The levels the annunciator drives its outputs to.</summary>
/// <param name="AmberLamp">On while a crew-facing caution is active (raised or acknowledged).</param>
/// <param name="RedLamp">On while a crew-facing warning is active (raised or acknowledged).</param>
/// <param name="Buzzer">On while a crew-facing caution or warning is raised and not acknowledged.</param>
public readonly record struct CrewPanelOutputs(bool AmberLamp, bool RedLamp, bool Buzzer);

/// <summary>
/// The crew panel at the gate: amber and red lamps, a buzzer, an acknowledge button and a 20x4
/// character display on an I2C PCF8574 backpack, driven from an <see cref="AlertBoard"/>.
/// </summary>
/// <remarks>
/// <para>Outputs follow the board's state, not its history: after every change the lamps and the
/// buzzer are set from <see cref="AlertBoard.Current"/> (only pins whose level changes are
/// written). The lamps stay lit until the alert is cleared; the buzzer sounds while a caution or
/// warning waits for acknowledgement. Advisories and maintenance-only alerts light nothing.</para>
/// <para>Latency: lamp and buzzer pins are written inline, on the thread that changed the board,
/// so a lamp lights within microseconds of the report. The display (hundreds of I2C bytes) is
/// drawn on its own task from the latest screen; intermediate screens are skipped.</para>
/// <para>The button (<see cref="GpioButton"/>, debounced) acknowledges the most severe
/// unacknowledged crew alert, as <see cref="ButtonOperator"/> via
/// <see cref="AcknowledgeChannel.Button"/>.</para>
/// <para>A display that fails (unplugged, wrong address) is logged and counted; the lamps and
/// buzzer keep working and the display is set up again at the next change, or after
/// <see cref="DisplayRetryInterval"/> when nothing changes.</para>
/// </remarks>
public sealed class CrewAnnunciator : IAsyncDisposable, IDisposable
{
    /// <summary>Who an acknowledgement by the panel button is recorded as.</summary>
    public const string ButtonOperator = "gate panel button";

    /// <summary>How often a failed display is tried again while nothing changes.</summary>
    public static readonly TimeSpan DisplayRetryInterval = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan s_buttonHolding = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_minDoublePress = TimeSpan.FromMilliseconds(1500);

    private readonly CrewPanelOptions _options;
    private readonly AlertBoard _board;
    private readonly GpioController _gpio;
    private readonly I2cDevice _displayDevice;
    private readonly bool _ownsDevices;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _outputLock = new();
    private readonly Channel<ImmutableArray<string>> _screens = Channel.CreateBounded<ImmutableArray<string>>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly CancellationTokenSource _stop = new();
    private Task _displayLoop = Task.CompletedTask;
    private GpioButton? _button;
    private Lcd2004? _lcd;
    private ImmutableArray<string> _lastPosted;
    private string[]? _shown;
    private CrewPanelOutputs _outputs;
    private bool _started;
    private bool _subscribed;
    private bool _displayFailing;
    private long _displayFailures;
    private long _displayRedraws;
    private int _disposed;

    /// <summary>
    /// Creates the annunciator over devices the caller owns (and disposes). Nothing is touched
    /// until <see cref="StartAsync"/>.
    /// </summary>
    /// <param name="options">Wiring and timing; validated here.</param>
    /// <param name="board">The alerts to annunciate; the button acknowledges on it.</param>
    /// <param name="gpio">GPIO controller with the lamp, buzzer and button pins.</param>
    /// <param name="display">The I2C device of the PCF8574 display backpack.</param>
    /// <param name="timeProvider">Time for the lamp test; null for the system clock.</param>
    /// <param name="logger">Logger; null for none.</param>
    /// <exception cref="CrewPanelConfigException">The options break a rule.</exception>
    public CrewAnnunciator(CrewPanelOptions options, AlertBoard board, GpioController gpio, I2cDevice display, TimeProvider? timeProvider = null, ILogger<CrewAnnunciator>? logger = null)
        : this(options, board, gpio, display, ownsDevices: false, timeProvider, logger)
    {
    }

    private CrewAnnunciator(CrewPanelOptions options, AlertBoard board, GpioController gpio, I2cDevice display, bool ownsDevices, TimeProvider? timeProvider, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(board);
        ArgumentNullException.ThrowIfNull(gpio);
        ArgumentNullException.ThrowIfNull(display);
        options.ThrowIfInvalid();
        _options = options;
        _board = board;
        _gpio = gpio;
        _displayDevice = display;
        _ownsDevices = ownsDevices;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Raised on the display task after a screen was written to the display.</summary>
    public event EventHandler? DisplayUpdated;

    /// <summary>The levels the lamps and the buzzer are driven to now.</summary>
    public CrewPanelOutputs Outputs
    {
        get
        {
            lock (_outputLock)
            {
                return _outputs;
            }
        }
    }

    /// <summary>The four lines last written to the display; default (empty) before the first draw or after a failure.</summary>
    public ImmutableArray<string> DisplayedLines => Volatile.Read(ref _shown) is string[] s ? [.. s] : [];

    /// <summary>How many times talking to the display failed.</summary>
    public long DisplayFailures => Interlocked.Read(ref _displayFailures);

    /// <summary>How many screens were written to the display.</summary>
    public long DisplayRedraws => Interlocked.Read(ref _displayRedraws);

    /// <summary>
    /// Creates the annunciator on the board's real GPIO controller and I2C bus (from
    /// <paramref name="options"/>); it owns and disposes them.
    /// </summary>
    /// <exception cref="CrewPanelConfigException">The options break a rule.</exception>
    public static CrewAnnunciator CreateForHardware(CrewPanelOptions options, AlertBoard board, TimeProvider? timeProvider = null, ILogger<CrewAnnunciator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        var gpio = new GpioController();
        I2cDevice? display = null;
        try
        {
            display = I2cDevice.Create(new I2cConnectionSettings(options.LcdI2cBus, options.LcdI2cAddress));
            return new CrewAnnunciator(options, board, gpio, display, ownsDevices: true, timeProvider, logger);
        }
        catch
        {
            display?.Dispose();
            gpio.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the pins, runs the lamp test (both lamps and the buzzer on for
    /// <see cref="CrewPanelOptions.LampTestDuration"/>, "LAMP TEST" on the display), then starts
    /// annunciating the board and listening to the button. Completes when the lamp test is over.
    /// </summary>
    /// <exception cref="InvalidOperationException">Already started, or a GPIO pin cannot be opened as configured.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_outputLock)
        {
            if (_started)
            {
                throw new InvalidOperationException("the crew panel is already started");
            }

            _started = true;
            foreach (int pin in OutputPins)
            {
                _gpio.OpenPin(pin, PinMode.Output, PinValue.Low);
            }
        }

        _displayLoop = Task.Run(() => DisplayLoopAsync(_stop.Token), CancellationToken.None);
        Post(CrewScreen.LampTest);
        SetOutputs(new CrewPanelOutputs(AmberLamp: true, RedLamp: true, Buzzer: true));
        try
        {
            await Task.Delay(_options.LampTestDuration, _time, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            SetOutputs(default);
        }

        var button = new GpioButton(
            _options.AcknowledgeButtonPin,
            doublePress: TimeSpan.FromTicks(Math.Max(s_minDoublePress.Ticks, 3 * _options.ButtonDebounce.Ticks)),
            holding: s_buttonHolding,
            isPullUp: _options.ButtonPull == ButtonPull.Up,
            hasExternalResistor: _options.ButtonHasExternalResistor,
            gpio: _gpio,
            shouldDispose: false,
            debounceTime: _options.ButtonDebounce);
        button.Press += OnButtonPress;
        _button = button;
        _board.Changed += OnBoardChanged;
        _subscribed = true;
        Render();
        Log.Started(_logger, _options.AmberLampPin, _options.RedLampPin, _options.BuzzerPin, _options.AcknowledgeButtonPin, _options.LcdI2cBus, _options.LcdI2cAddress, _options.LampTestDuration);
    }

    /// <summary>
    /// Sets the outputs and the display from the board's current alerts. Called on every board
    /// change; callable at any time (it only writes what changed).
    /// </summary>
    public void Render()
    {
        ImmutableArray<Alert> current = _board.Current;
        bool amber = false, red = false, buzzer = false;
        foreach (Alert a in current)
        {
            if (!a.IsCrewFacing || !a.IsActive || a.Severity == AlertSeverity.Advisory)
            {
                continue;
            }

            amber |= a.Severity == AlertSeverity.Caution;
            red |= a.Severity == AlertSeverity.Warning;
            buzzer |= a.State == AlertState.Raised;
        }

        SetOutputs(new CrewPanelOutputs(amber, red, buzzer));
        Post(CrewScreen.Compose(current));
    }

    /// <summary>Stops listening, turns the lamps and the buzzer off and releases the pins.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_subscribed)
        {
            _board.Changed -= OnBoardChanged;
        }

        if (_button is not null)
        {
            _button.Press -= OnButtonPress;
            _button.Dispose();
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _screens.Writer.TryComplete();
        try
        {
            await _displayLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is the expected way out of the display loop.
        }

        lock (_outputLock)
        {
            if (_started)
            {
                SetOutputs(default);
                foreach (int pin in OutputPins)
                {
                    if (_gpio.IsPinOpen(pin))
                    {
                        _gpio.ClosePin(pin);
                    }
                }
            }
        }

        _lcd?.Dispose();
        _stop.Dispose();
        if (_ownsDevices)
        {
            _displayDevice.Dispose();
            _gpio.Dispose();
        }
    }

    /// <inheritdoc cref="DisposeAsync"/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private int[] OutputPins => [_options.AmberLampPin, _options.RedLampPin, _options.BuzzerPin];

    private void OnBoardChanged(object? sender, AlertBoardChangedEventArgs e)
    {
        if (e.Kind != AlertChangeKind.Suppressed)
        {
            Render();
        }
    }

    private void OnButtonPress(object? sender, EventArgs e)
    {
        try
        {
            Alert? acknowledged = _board.AcknowledgeMostSevere(ButtonOperator, AcknowledgeChannel.Button);
            if (acknowledged is null)
            {
                Log.ButtonNothingToAcknowledge(_logger);
            }
            else
            {
                Log.ButtonAcknowledged(_logger, acknowledged.Id, acknowledged.Text);
            }
        }
        catch (AlertStateException ex)
        {
            // Acknowledged from the crew page between the lookup and the press: nothing left to do.
            Log.ButtonFailed(_logger, ex);
        }
    }

    private void SetOutputs(CrewPanelOutputs wanted)
    {
        lock (_outputLock)
        {
            if (Volatile.Read(ref _disposed) != 0 && wanted != default)
            {
                return;
            }

            // Level-based: only pins whose level changes are written, so a repeat report costs nothing.
            WritePin(_options.AmberLampPin, _outputs.AmberLamp, wanted.AmberLamp);
            WritePin(_options.RedLampPin, _outputs.RedLamp, wanted.RedLamp);
            WritePin(_options.BuzzerPin, _outputs.Buzzer, wanted.Buzzer);
            _outputs = wanted;
        }

        void WritePin(int pin, bool was, bool now)
        {
            if (was == now)
            {
                return;
            }

            try
            {
                _gpio.Write(pin, now ? PinValue.High : PinValue.Low);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException)
            {
                Log.OutputFailed(_logger, pin, ex);
            }
        }
    }

    private void Post(ImmutableArray<string> screen)
    {
        lock (_outputLock)
        {
            if (!_lastPosted.IsDefault && _lastPosted.SequenceEqual(screen))
            {
                return;
            }

            _lastPosted = screen;
            _screens.Writer.TryWrite(screen);
        }
    }

    private async Task DisplayLoopAsync(CancellationToken cancellationToken)
    {
        ChannelReader<ImmutableArray<string>> reader = _screens.Reader;
        ImmutableArray<string> wanted = default;
        while (true)
        {
            if (reader.TryRead(out ImmutableArray<string> next))
            {
                wanted = next;
                Draw(wanted);
                continue;
            }

            if (!_displayFailing || wanted.IsDefault)
            {
                if (!await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            // The display failed: try the latest screen again after a pause even if nothing changes,
            // so a display plugged back in comes to life without waiting for the next alert.
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task<bool> readable = reader.WaitToReadAsync(wait.Token).AsTask();
            Task retry = Task.Delay(DisplayRetryInterval, _time, wait.Token);
            Task first = await Task.WhenAny(readable, retry).ConfigureAwait(false);
            await wait.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (first == retry)
            {
                Draw(wanted);
            }
            else if (!readable.IsCompletedSuccessfully || !readable.Result)
            {
                return;
            }
        }
    }

    private void Draw(ImmutableArray<string> screen)
    {
        try
        {
            _lcd ??= new Lcd2004(LcdInterface.CreateI2c(_displayDevice, uses8Bit: false));
            string[]? shown = Volatile.Read(ref _shown);
            for (int row = 0; row < CrewScreen.Rows; row++)
            {
                if (shown is not null && string.Equals(shown[row], screen[row], StringComparison.Ordinal))
                {
                    continue;
                }

                _lcd.SetCursorPosition(0, row);
                _lcd.Write(screen[row]);
            }

            Volatile.Write(ref _shown, [.. screen]);
            Interlocked.Increment(ref _displayRedraws);
            if (_displayFailing)
            {
                _displayFailing = false;
                Log.DisplayRecovered(_logger, _options.LcdI2cAddress);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            long failures = Interlocked.Increment(ref _displayFailures);
            if (!_displayFailing)
            {
                _displayFailing = true;
                Log.DisplayFailed(_logger, _options.LcdI2cAddress, ex.Message, failures);
            }

            // Start again from scratch next time: the controller may have lost power and its state.
            _lcd?.Dispose();
            _lcd = null;
            Volatile.Write(ref _shown, null);
            lock (_outputLock)
            {
                _lastPosted = default;
            }

            return;
        }

        DisplayUpdated?.Invoke(this, EventArgs.Empty);
    }
}
