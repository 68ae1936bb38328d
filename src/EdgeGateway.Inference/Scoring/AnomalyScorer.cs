using EdgeGateway.Core.Conditioning;
using EdgeGateway.Core.Models;
using EdgeGateway.Inference.Packages;

namespace EdgeGateway.Inference.Scoring;

/// <summary>A channel's share of an episode's peak score.</summary>
/// <param name="Channel">Model input name.</param>
/// <param name="Contribution">Peak score minus the score with this channel (and the other engine's same parameter, <c>P@other</c>, when the model has it) replaced by its values in the last normal window before the episode (occlusion; by its training mean when there is none).</param>
public sealed record ChannelContribution(string Channel, double Contribution);

/// <summary>An anomaly episode in grid indices (see <see cref="Core.Summaries.GridClock"/> for times).</summary>
/// <param name="FirstAbnormalStart">Start of the first above-threshold window of the run that raised the episode.</param>
/// <param name="RaisedEnd">Last grid index of the window whose score raised the episode: when the box alerts. The model lab stamps a window's score at the same row.</param>
/// <param name="ClearedEnd">Last grid index of the window that cleared it, or of the last scored window when the landing ended first.</param>
/// <param name="OpenAtEnd">True when the landing ended with the episode still open.</param>
/// <param name="PeakScore">Highest window score in the episode (including the raising run).</param>
/// <param name="PeakWindowStart">Start of the peak window.</param>
/// <param name="Windows">Windows scored inside the episode.</param>
/// <param name="Channels">Channels explaining the peak, largest contribution first.</param>
/// <param name="RaisedAloneScore">
/// The score of the raising run's peak window (the window explained when the episode is raised) with
/// every input of the other engine replaced by this engine's own (<see cref="OtherEngineStandIn"/>):
/// the engine scored alone. At or below the threshold (not abnormal), the episode was raised by the
/// comparison with the other engine, and that engine's sensor may be the one at fault. Null when the model reads no
/// input of the other engine, or normalises by operating regime.
/// </param>
public sealed record EpisodeFinding(long FirstAbnormalStart, long RaisedEnd, long ClearedEnd, bool OpenAtEnd, double PeakScore, long PeakWindowStart, int Windows, IReadOnlyList<ChannelContribution> Channels, double? RaisedAloneScore = null);

/// <summary>
/// Scores one engine's anomaly windows as conditioning produces them: grid samples go into a
/// <see cref="WindowBuilder"/> in the manifest's channel order (settings columns after them),
/// each complete gap-free window is normalised with the manifest's <see cref="ScalerSpec"/> into the
/// input of one of two lanes rented from the package (<see cref="ModelPackage.RentLane"/>) and scored
/// in batches, a full batch in the background while the other lane fills
/// (<see cref="InferenceOptions.BackgroundScoring"/>); the manifest's <see cref="EpisodeDebouncer"/>
/// turns scores into episodes, in window order, on the thread appending samples. Windows with a
/// gap (NaN) in the engine's own channels are never scored; they count as normal for the debounce, as
/// in the model lab. A gap in an input of the other engine (<c>P@other</c>) does not stop scoring:
/// the window takes the engine's own <c>P</c> in that column (<see cref="OtherEngineStandIn"/>). Per
/// window nothing is allocated.
/// </summary>
public sealed class AnomalyScorer : IDisposable
{
    private readonly ModelPackage _package;
    private readonly ModelManifest _manifest;
    private readonly OnnxModel _model;
    private readonly WindowBuilder _windows;
    private readonly int _channels;
    private readonly int _settings;
    private readonly int _length;
    private readonly int _stride;
    private readonly int _explain;
    // Occlusion groups: each of this engine's channels with the column of its P@other companion
    // (-1 when the model has none). Companions are never explained on their own.
    private readonly (int Channel, int Companion)[] _explained;
    // The other engine's inputs with their stand-ins in scaled units, for scoring a window alone
    // (empty when the model has none, or normalises per operating regime, where the scaled map differs per row).
    private readonly (int Column, int Source, double Scale, double Offset)[] _alone;
    private readonly float[] _raw;
    private readonly double[] _rowChannels;
    private readonly double[] _rowSettings;
    private readonly int[] _settingColumns;

    // With no operating settings there is one regime: each column is normalised as it arrives, so a
    // grid sample is scaled once instead of once per window it falls in (the stride is 1).
    private readonly bool _scaleOnAppend;
    private readonly double[] _mean;
    private readonly double[] _std;
    private readonly float[] _scaled;
    // Two lanes (session siblings with their own buffers, rented from the package): windows are
    // built straight into the filling lane's input while the other lane's full batch is scored,
    // on a thread-pool thread when BackgroundScoring is on. Results are taken in window order.
    private readonly OnnxModel[] _lanes;
    private readonly long[][] _laneStarts;
    private readonly bool _background;
    private int _fill;
    private Task? _running;
    private int _runningLane;
    private int _runningFrom;
    private readonly float[] _candidateWindow;
    private readonly double _threshold;
    private readonly List<(EpisodeFinding Episode, float[] PeakWindow, float[]? Reference, float[] RaiseWindow)> _episodes = [];
    private EpisodeDebouncer _debouncer;
    private int _pending;
    private int _scored;
    private bool _completed;
    private long _expectedStart = long.MinValue;
    private long _lastWindowEnd;

    // Run of above-threshold windows before the raise, and the open episode.
    private long _runStart = -1;
    private double _runPeak = double.NegativeInfinity;
    private long _runPeakStart;
    private bool _open;
    private long _openFirst, _openRaised, _openPeakStart;
    private double _openPeak;
    private int _openWindows;
    private float[]? _openPeakWindow;
    private float[]? _openRaiseWindow;

    // The last window scored normal, and the copy of it taken when the current run of abnormal
    // windows began: the reference an episode's channels are explained against.
    private readonly float[] _lastNormal;
    private bool _hasLastNormal;
    private float[]? _runReference;
    private float[]? _openReference;

    // Raises of the batch being scored, announced once the batch is done (explaining them runs the
    // model, whose input buffer still holds the batch until then).
    private List<(EpisodeFinding Episode, float[] PeakWindow, float[]? Reference)>? _raised;

    /// <summary>Creates a scorer for one engine over an anomaly package.</summary>
    public AnomalyScorer(ModelPackage package, InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(options);
        _package = package;
        _manifest = package.Manifest;
        _model = package.Model;
        var decision = _manifest.Decision ?? throw new ArgumentException($"{package.Id}: not an anomaly package (no decision)", nameof(package));
        _threshold = decision.Threshold;
        _debouncer = new EpisodeDebouncer(decision.Threshold, decision.Debounce);
        _channels = _manifest.Input.Channels.Count;
        _settings = _manifest.Input.Settings.Count;
        _length = _manifest.Input.WindowLength;
        _stride = decision.Stride;
        _explain = options.ExplainingChannels;
        var names = _manifest.Input.Channels;
        _explained = [.. Enumerable.Range(0, _channels)
            .Where(c => !IsOtherEngineInput(names[c]) || !names.Contains(names[c][..^OtherEngineSuffix.Length]))
            .Select(c => (c, IsOtherEngineInput(names[c]) ? -1 : IndexOf(names, names[c] + OtherEngineSuffix)))];
        var columns = _manifest.Input.Channels.Concat(_manifest.Input.Settings.Where(s => !_manifest.Input.Channels.Contains(s))).ToList();
        Columns = columns;
        _windows = new WindowBuilder(_length, _stride, columns, Math.Max(16_384, 4 * (_length + _stride)));
        // The other engine's inputs are optional (OtherEngineStandIn): a window whose P@other holds a
        // gap is scored with the engine's own P in its place (scaled into P@other's units when
        // scaling on append). A P@other that has not come is waited for as long as the ring lets the
        // engine's own channels run ahead, and given up on at Complete: conditioning hands each
        // channel over in batches (a replay's batch of a slow label spans minutes), so a shorter,
        // time-based patience would stand in for data that was only late, and a live landing and a
        // replay of it would score different windows.
        int patience = _windows.CapacitySamples - _length - _stride;
        var alone = new List<(int, int, double, double)>();
        foreach (var (column, source) in OtherEngineStandIn.Pairs(names))
        {
            var (scale, offset) = _settings == 0 ? OtherEngineStandIn.ScaledMap(_manifest.Scaler, column, source) : (1.0, 0.0);
            _windows.SetStandIn(column, source, scale, offset, patience);
            if (_settings == 0)
            {
                alone.Add((column, source, scale, offset));
            }
        }

        _alone = [.. alone];

        _raw = new float[_windows.WindowValues];
        _rowChannels = new double[_channels];
        _rowSettings = new double[_settings];
        _settingColumns = [.. _manifest.Input.Settings.Select(ColumnOf)];
        _scaleOnAppend = _settings == 0;
        _mean = [.. _manifest.Scaler.ChannelMean[0]];
        _std = [.. _manifest.Scaler.ChannelStd[0]];
        _scaled = _scaleOnAppend ? new float[4096] : [];
        _lanes = [package.RentLane(), package.RentLane()];
        _laneStarts = [new long[_model.MaxBatch], new long[_model.MaxBatch]];
        _background = options.BackgroundScoring;
        _candidateWindow = new float[_model.SampleValues];
        _lastNormal = new float[_model.SampleValues];
    }

    /// <summary>
    /// Called when the debounce raises an episode, as soon as the batch holding the raising window is
    /// scored (on the thread appending samples, or in <see cref="Complete"/>): the episode so far
    /// (<see cref="EpisodeFinding.ClearedEnd"/> = <see cref="EpisodeFinding.RaisedEnd"/>, open) with
    /// <see cref="EpisodeFinding.Channels"/> explaining the raising run's peak window. Null (the
    /// default) costs nothing.
    /// </summary>
    public Action<EpisodeFinding>? EpisodeRaised { get; set; }

    /// <summary>
    /// Suffix of an input that is a parameter of the aircraft's other engine (<c>EGT@other</c>): the
    /// landing feeds it from that engine's conditioned channel, at the same grid points.
    /// </summary>
    public const string OtherEngineSuffix = OtherEngineStandIn.Suffix;

    /// <summary>True for an input named <c>P@other</c> (see <see cref="OtherEngineSuffix"/>).</summary>
    public static bool IsOtherEngineInput(string input) => OtherEngineStandIn.IsOtherEngineInput(input);

    /// <summary>Window columns: the model's channels, then settings that are not channels.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Windows scored.</summary>
    public long WindowsScored { get; private set; }

    /// <summary>Windows skipped because they held a gap.</summary>
    public long WindowsSkipped => _windows.WindowsSkipped;

    /// <summary>Windows scored with an input of the other engine replaced by this engine's own (see <see cref="OtherEngineStandIn"/>).</summary>
    public long WindowsWithStandIn => _windows.WindowsWithStandIn;

    /// <summary>Samples dropped because one column ran too far ahead of another (a channel that went silent).</summary>
    public long SamplesDropped { get; private set; }

    /// <summary>Highest window score seen, or NaN when none was scored.</summary>
    public double MaxScore { get; private set; } = double.NaN;

    /// <summary>The package scoring.</summary>
    public ModelPackage Package => _package;

    /// <summary>The column of parameter <paramref name="name"/>, or -1 when the model does not use it.</summary>
    public int ColumnOf(string name)
    {
        for (int i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Adds conditioned grid samples of one column; scores every window that completes.</summary>
    public void Append(int column, long firstGridIndex, ReadOnlySpan<float> values)
    {
        if (_scaleOnAppend && column < _channels)
        {
            // Same arithmetic as ScalerSpec.Normalize for regime 0.
            double mean = _mean[column], std = _std[column];
            while (values.Length > 0)
            {
                int n = Math.Min(values.Length, _scaled.Length);
                for (int i = 0; i < n; i++)
                {
                    _scaled[i] = (float)((values[i] - mean) / std);
                }

                AppendScaled(column, firstGridIndex, _scaled.AsSpan(0, n));
                values = values[n..];
                firstGridIndex += n;
            }

            return;
        }

        AppendScaled(column, firstGridIndex, values);
    }

    private void AppendScaled(int column, long firstGridIndex, ReadOnlySpan<float> values)
    {
        int offset = 0;
        while (offset < values.Length)
        {
            int taken = _windows.Append(column, firstGridIndex + offset, values[offset..]);
            offset += taken;
            bool built = DrainWindows();
            if (taken == 0 && !built)
            {
                // The ring is full and no window can complete: another column is silent. Those
                // windows would hold its gap and never be scored.
                SamplesDropped += values.Length - offset;
                return;
            }
        }
    }

    /// <summary>
    /// Scores what is pending and closes the books: the episodes of the landing, with their
    /// explaining channels. Gives the scorer's lanes back to the package; the scorer is done.
    /// </summary>
    public IReadOnlyList<EpisodeFinding> Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _windows.StopWaiting();
        DrainWindows();
        ScorePending();
        _completed = true;
        _package.ReturnLane(_lanes[0]);
        _package.ReturnLane(_lanes[1]);
        if (_open)
        {
            CloseEpisode(_lastWindowEnd, openAtEnd: true);
        }

        var result = new List<EpisodeFinding>(_episodes.Count);
        foreach (var (episode, window, reference, raiseWindow) in _episodes)
        {
            result.Add(episode with { Channels = Explain(window, episode.PeakScore, reference), RaisedAloneScore = ScoreAlone(raiseWindow) });
        }

        _episodes.Clear();
        return result;
    }

    private bool DrainWindows()
    {
        bool any = false;
        int values = _model.SampleValues;
        while (_scaleOnAppend
            ? _windows.TryBuild(_lanes[_fill].Input.AsSpan(_pending * values, values), out long start)
            : _windows.TryBuild(_raw, out start))
        {
            any = true;
            if (!_scaleOnAppend)
            {
                Normalize(_raw, _lanes[_fill].Input.AsSpan(_pending * values, values));
            }

            _laneStarts[_fill][_pending] = start;
            if (++_pending == _model.MaxBatch)
            {
                SubmitFull();
            }
        }

        return any;
    }

    private void Normalize(ReadOnlySpan<float> raw, Span<float> destination)
    {
        int columns = Columns.Count;
        for (int r = 0; r < _length; r++)
        {
            var row = raw.Slice(r * columns, columns);
            for (int c = 0; c < _channels; c++)
            {
                _rowChannels[c] = row[c];
            }

            for (int s = 0; s < _settings; s++)
            {
                _rowSettings[s] = row[_settingColumns[s]];
            }

            _manifest.Scaler.Normalize(_rowSettings, _rowChannels, destination.Slice(r * _channels, _channels));
        }
    }

    /// <summary>
    /// For a landing that ends without <see cref="Complete"/> (the service stopping mid-landing):
    /// waits for a batch still being scored in the background, so no lane is in use when the package
    /// is disposed, and gives the lanes back. After <see cref="Complete"/> it does nothing.
    /// </summary>
    public void Dispose()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        try
        {
            _running?.Wait();
        }
        catch (AggregateException)
        {
            // The landing is abandoned: a failed batch's scores are not wanted.
        }

        _running = null;
        _package.ReturnLane(_lanes[0]);
        _package.ReturnLane(_lanes[1]);
    }

    /// <summary>
    /// Scores the windows completed so far without waiting for a full batch (live data: an alert
    /// must not wait for the next 63 windows), and takes the result of a batch being scored in the
    /// background. Replay never calls it and gets the same scores.
    /// </summary>
    public void Flush()
    {
        DrainWindows();
        ScorePending();
    }

    // The filling lane is full: take the other lane's results (earlier windows), then score this one
    // (in the background when configured) and fill the other.
    private void SubmitFull()
    {
        Collect();
        var lane = _lanes[_fill];
        if (_background)
        {
            _runningLane = _fill;
            _runningFrom = _scored;
            _running = Task.Run(() => lane.Run(lane.MaxBatch));
        }
        else
        {
            lane.Run(lane.MaxBatch);
            Take(_fill, _scored, lane.MaxBatch);
        }

        _fill ^= 1;
        _pending = _scored = 0;
    }

    // Waits for the batch scored in the background and takes its results.
    private void Collect()
    {
        if (_running is not { } running)
        {
            return;
        }

        _running = null;
        running.GetAwaiter().GetResult();
        Take(_runningLane, _runningFrom, _model.MaxBatch);
    }

    // ONNX Runtime's result for a window depends on the batch size and the window's slot in the
    // batch, not on what the other slots hold (ShippedAnomalyBatchTests). So every run uses the full
    // batch and a window keeps its slot: the k-th window of a batch is scored to the same bits
    // whether the batch ran once full (replay) or several times as windows arrived (live Flush).
    private void ScorePending()
    {
        Collect();
        if (_pending == _scored)
        {
            return;
        }

        _lanes[_fill].Run(_model.MaxBatch);
        Take(_fill, _scored, _pending);
        _scored = _pending;
    }

    // Debounces the scores of slots [from, to) of a lane, in window order, then announces raises.
    private void Take(int laneIndex, int from, int to)
    {
        var lane = _lanes[laneIndex];
        var starts = _laneStarts[laneIndex];
        for (int i = from; i < to; i++)
        {
            long start = starts[i];
            float score = lane.Output[i];
            if (_expectedStart != long.MinValue)
            {
                // Windows skipped for gaps count as normal, as in the lab's evaluation.
                for (long s = _expectedStart; s < start; s += _stride)
                {
                    Push(double.NaN, s, default);
                }
            }

            Push(score, start, lane.Input.AsSpan(i * _model.SampleValues, _model.SampleValues));
            _expectedStart = start + _stride;
            WindowsScored++;
            MaxScore = double.IsNaN(MaxScore) ? score : Math.Max(MaxScore, score);
        }

        if (_raised is { Count: > 0 })
        {
            foreach (var (episode, window, reference) in _raised)
            {
                EpisodeRaised?.Invoke(episode with { Channels = Explain(window, episode.PeakScore, reference), RaisedAloneScore = ScoreAlone(window) });
            }

            _raised.Clear();
        }
    }

    private void Push(double score, long start, ReadOnlySpan<float> window)
    {
        // A window's score belongs to its last sample, as in the lab's evaluation.
        long end = start + _length - 1;
        _lastWindowEnd = Math.Max(_lastWindowEnd, end);
        bool above = score > _threshold;
        if (!_open)
        {
            if (above)
            {
                if (_runStart < 0)
                {
                    _runStart = start;
                    _runPeak = double.NegativeInfinity;
                    _runReference = _hasLastNormal ? (float[])_lastNormal.Clone() : null;
                }

                if (score > _runPeak)
                {
                    _runPeak = score;
                    _runPeakStart = start;
                    window.CopyTo(_candidateWindow);
                }
            }
            else
            {
                _runStart = -1;
            }
        }
        else
        {
            _openWindows++;
            if (score > _openPeak)
            {
                _openPeak = score;
                _openPeakStart = start;
                window.CopyTo(_openPeakWindow);
            }
        }

        if (!above && !double.IsNaN(score))
        {
            window.CopyTo(_lastNormal);
            _hasLastNormal = true;
        }

        switch (_debouncer.Push(score))
        {
            case EpisodeTransition.Raised:
                _open = true;
                _openFirst = _runStart < 0 ? start : _runStart;
                _openRaised = end;
                _openPeak = _runPeak;
                _openPeakStart = _runPeakStart;
                _openPeakWindow = (float[])_candidateWindow.Clone();
                _openRaiseWindow = (float[])_candidateWindow.Clone();
                _openReference = _runReference;
                _openWindows = 1;
                _runStart = -1;
                if (EpisodeRaised is not null)
                {
                    (_raised ??= []).Add((new EpisodeFinding(_openFirst, end, end, true, _openPeak, _openPeakStart, 1, []), (float[])_candidateWindow.Clone(), _openReference));
                }

                break;
            case EpisodeTransition.Cleared:
                CloseEpisode(end, openAtEnd: false);
                break;
        }
    }

    private void CloseEpisode(long end, bool openAtEnd)
    {
        _episodes.Add((new EpisodeFinding(_openFirst, _openRaised, end, openAtEnd, _openPeak, _openPeakStart, _openWindows, []), _openPeakWindow!, _openReference, _openRaiseWindow!));
        _open = false;
        _openPeakWindow = null;
        _openRaiseWindow = null;
        _openReference = null;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    // The window scored with every input of the other engine replaced by this engine's own, as a
    // window whose P@other holds a gap is scored (WindowBuilder.StandIn, same arithmetic): the engine alone.
    private double? ScoreAlone(float[] window)
    {
        if (_alone.Length == 0)
        {
            return null;
        }

        var slot = _model.Input.AsSpan(0, _model.SampleValues);
        window.CopyTo(slot);
        foreach (var (column, source, scale, offset) in _alone)
        {
            for (int r = 0; r < _length; r++)
            {
                slot[(r * _channels) + column] = WindowBuilder.StandIn(slot[(r * _channels) + source], scale, offset);
            }
        }

        _model.Run(1);
        return _model.Output[0];
    }

    // Occlusion: each channel in turn replaced, in the peak window, by its values in the reference
    // window (the last window scored normal before the abnormal run began: same engine, nearby
    // operating point); the drop in score is that channel's contribution. A channel whose P@other
    // companion the model reads is replaced together with it: an engine-to-engine split compares
    // the two at the same seconds, and half of the pair from another minute would carry that
    // minute's movement of both engines (oil quantity swings by a quart in a climb) into the split.
    // Without a reference (the landing began abnormal) the channel is set to its training mean (0
    // after scaling), which a model with window features reads as a flat, stuck channel. One batch
    // of up to C windows per episode.
    private List<ChannelContribution> Explain(float[] peakWindow, double peakScore, float[]? reference)
    {
        var contributions = new List<ChannelContribution>(_explained.Length);
        int done = 0;
        while (done < _explained.Length)
        {
            int n = Math.Min(_model.MaxBatch, _explained.Length - done);
            for (int k = 0; k < n; k++)
            {
                var slot = _model.Input.AsSpan(k * _model.SampleValues, _model.SampleValues);
                peakWindow.CopyTo(slot);
                var (c, companion) = _explained[done + k];
                for (int r = 0; r < _length; r++)
                {
                    slot[(r * _channels) + c] = reference is null ? 0f : reference[(r * _channels) + c];
                    if (companion >= 0)
                    {
                        slot[(r * _channels) + companion] = reference is null ? 0f : reference[(r * _channels) + companion];
                    }
                }
            }

            _model.Run(n);
            for (int k = 0; k < n; k++)
            {
                contributions.Add(new ChannelContribution(_manifest.Input.Channels[_explained[done + k].Channel], peakScore - _model.Output[k]));
            }

            done += n;
        }

        // Ranked on contributions rounded to 4 decimals, ties by name: ONNX Runtime's last bits differ
        // between CPU architectures, and near-equal channels must not swap places between boxes. A
        // channel whose occlusion does not lower the score explains nothing and is not listed, except
        // the first, so an alert always names a channel.
        var ranked = contributions.OrderByDescending(c => Math.Round(c.Contribution, 4)).ThenBy(c => c.Channel, StringComparer.Ordinal).ToList();
        return [.. ranked.Take(1).Concat(ranked.Skip(1).Where(c => Math.Round(c.Contribution, 4) > 0)).Take(_explain)];
    }
}
