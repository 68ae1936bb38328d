using System.Device.Gpio;

namespace EdgeGateway.Crew.Tests.Fakes;

/// <summary>What the driver was asked to do.</summary>
internal enum PinOp
{
    Open,
    Close,
    Mode,
    Write,
}

/// <summary>One recorded driver call, stamped with the driver's clock.</summary>
internal readonly record struct PinCall(long Timestamp, PinOp Op, int Pin, PinMode Mode, PinValue Value)
{
    public override string ToString() => Op switch
    {
        PinOp.Write => $"write {Pin} {(Value == PinValue.High ? "H" : "L")}",
        PinOp.Mode => $"mode {Pin} {Mode}",
        _ => $"{Op.ToString().ToLowerInvariant()} {Pin}",
    };
}

/// <summary>
/// A GPIO driver for a board that is not there: records every open, mode and write with a
/// timestamp, and lets a test move an input pin the way a real board does (level change, then the
/// registered edge callbacks).
/// </summary>
internal sealed class RecordingGpioDriver : GpioDriver
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _clock;
    private readonly List<PinCall> _calls = [];
    private readonly Dictionary<int, PinMode> _modes = [];
    private readonly Dictionary<int, PinValue> _levels = [];
    private readonly Dictionary<int, List<(PinEventTypes Types, PinChangeEventHandler Handler)>> _callbacks = [];

    public RecordingGpioDriver(TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Called after every recorded call, on the caller's thread.</summary>
    public Action<PinCall>? OnCall { get; set; }

    /// <summary>Pins whose <see cref="PinMode"/> the board cannot do.</summary>
    public HashSet<PinMode> UnsupportedModes { get; } = [];

    protected override int PinCount => 28;

    public IReadOnlyList<PinCall> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public int CallCount
    {
        get
        {
            lock (_lock)
            {
                return _calls.Count;
            }
        }
    }

    /// <summary>Writes to the given pins, as "write N H|L", from call index <paramref name="from"/> on.</summary>
    public List<string> Writes(int from, params int[] pins)
    {
        lock (_lock)
        {
            return _calls.Skip(from).Where(c => c.Op == PinOp.Write && (pins.Length == 0 || pins.Contains(c.Pin))).Select(c => c.ToString()).ToList();
        }
    }

    public PinValue Level(int pin)
    {
        lock (_lock)
        {
            return _levels.TryGetValue(pin, out PinValue v) ? v : PinValue.Low;
        }
    }

    public PinMode? ModeOf(int pin)
    {
        lock (_lock)
        {
            return _modes.TryGetValue(pin, out PinMode m) ? m : null;
        }
    }

    public bool HasCallbacks(int pin)
    {
        lock (_lock)
        {
            return _callbacks.TryGetValue(pin, out var list) && list.Count > 0;
        }
    }

    /// <summary>Drives an input pin to a level; on a change, fires the edge callbacks registered for it.</summary>
    public void SetInput(int pin, PinValue level)
    {
        List<PinChangeEventHandler> toCall = [];
        PinEventTypes edge;
        lock (_lock)
        {
            PinValue old = _levels.TryGetValue(pin, out PinValue v) ? v : PinValue.Low;
            _levels[pin] = level;
            if (old == level)
            {
                return;
            }

            edge = level == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
            if (_callbacks.TryGetValue(pin, out var list))
            {
                toCall.AddRange(list.Where(c => (c.Types & edge) != 0).Select(c => c.Handler));
            }
        }

        foreach (PinChangeEventHandler handler in toCall)
        {
            handler(this, new PinValueChangedEventArgs(edge, pin));
        }
    }

    protected override void OpenPin(int pinNumber)
    {
        Record(PinOp.Open, pinNumber, default, default);
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (_lock)
        {
            _modes.Remove(pinNumber);
            _callbacks.Remove(pinNumber);
        }

        Record(PinOp.Close, pinNumber, default, default);
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_lock)
        {
            _modes[pinNumber] = mode;
            if (mode == PinMode.InputPullUp)
            {
                _levels[pinNumber] = PinValue.High;
            }
        }

        Record(PinOp.Mode, pinNumber, mode, default);
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_lock)
        {
            return _modes.TryGetValue(pinNumber, out PinMode m) ? m : PinMode.Input;
        }
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => !UnsupportedModes.Contains(mode);

    protected override PinValue Read(int pinNumber) => Level(pinNumber);

    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_lock)
        {
            _levels[pinNumber] = value;
        }

        Record(PinOp.Write, pinNumber, default, value);
    }

    protected override void Toggle(int pinNumber) => Write(pinNumber, Level(pinNumber) == PinValue.High ? PinValue.Low : PinValue.High);

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the crew panel uses edge callbacks, not blocking waits");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_lock)
        {
            if (!_callbacks.TryGetValue(pinNumber, out var list))
            {
                _callbacks[pinNumber] = list = [];
            }

            list.Add((eventTypes, callback));
        }
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_lock)
        {
            if (_callbacks.TryGetValue(pinNumber, out var list))
            {
                list.RemoveAll(c => c.Handler == callback);
            }
        }
    }

    private void Record(PinOp op, int pin, PinMode mode, PinValue value)
    {
        PinCall call;
        lock (_lock)
        {
            call = new PinCall(_clock.GetTimestamp(), op, pin, mode, value);
            _calls.Add(call);
        }

        OnCall?.Invoke(call);
    }
}
