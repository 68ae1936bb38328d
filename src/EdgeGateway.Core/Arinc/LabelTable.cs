using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace EdgeGateway.Core.Arinc;

/// <summary>Where a label-table entry comes from.</summary>
public enum EntryProvenance : byte
{
    /// <summary>Label number and meaning found in public documents (cited in <see cref="LabelEntry.Reference"/>).</summary>
    Public,

    /// <summary>A stand-in until the operator's own interface control document fills it in.</summary>
    Placeholder,
}

/// <summary>One field of a label: a parameter carried in a bit span of the word.</summary>
/// <param name="Parameter">Parameter name, e.g. "N1"; with the engine position it names a channel.</param>
/// <param name="Encoding">Data encoding.</param>
/// <param name="FirstBit">Lowest bit of the field (ARINC numbering, 11..29; 9 when the SDI carries data).</param>
/// <param name="LastBit">Highest bit of the field.</param>
/// <param name="Range">BNR full-scale range (bit 28 = range/2); unused otherwise.</param>
/// <param name="SignificantBits">BNR magnitude bits; unused otherwise.</param>
/// <param name="Digits">BCD digits; unused otherwise.</param>
/// <param name="Resolution">BCD: value of the least significant digit; BNR: derived range/2^bits.</param>
/// <param name="Unit">Engineering unit.</param>
/// <param name="ValidMin">Lowest plausible value; below it the sample is counted out of range.</param>
/// <param name="ValidMax">Highest plausible value.</param>
public sealed record LabelField(
    string Parameter,
    ArincEncoding Encoding,
    int FirstBit,
    int LastBit,
    double Range,
    int SignificantBits,
    int Digits,
    double Resolution,
    string Unit,
    double ValidMin,
    double ValidMax);

/// <summary>A label of the aircraft interface table with its SDI mapping and fields.</summary>
/// <param name="Label">Label number (octal digits as a number).</param>
/// <param name="Engines">SDI value to engine position (1-based); empty when the SDI bits are not a source selector.</param>
/// <param name="ExpectedRateHz">Nominal transmit rate.</param>
/// <param name="StaleAfter">A label not seen for this long is stale.</param>
/// <param name="Provenance">Public document or placeholder.</param>
/// <param name="Reference">Where the entry comes from.</param>
/// <param name="Fields">The fields, non-overlapping.</param>
public sealed record LabelEntry(
    byte Label,
    ImmutableDictionary<int, int> Engines,
    double ExpectedRateHz,
    TimeSpan StaleAfter,
    EntryProvenance Provenance,
    string Reference,
    ImmutableArray<LabelField> Fields)
{
    /// <summary>The label as octal text.</summary>
    public string LabelOctal => ArincWord.FormatLabel(Label);
}

/// <summary>A decoded (engine, parameter) stream: what conditioning and models see.</summary>
/// <param name="Id">Dense index into <see cref="LabelTable.Channels"/>.</param>
/// <param name="EnginePosition">1-based engine position, 0 when not engine-specific.</param>
/// <param name="Parameter">Parameter name.</param>
/// <param name="Unit">Engineering unit.</param>
/// <param name="Entry">The label entry that carries it.</param>
/// <param name="Field">The field within that label.</param>
public sealed record Channel(int Id, int EnginePosition, string Parameter, string Unit, LabelEntry Entry, LabelField Field)
{
    /// <summary>"ENG1 N1" style name for people.</summary>
    public string DisplayName => EnginePosition > 0 ? $"ENG{EnginePosition} {Parameter}" : Parameter;
}

/// <summary>Result of decoding one word against the table.</summary>
public enum DecodeOutcome : byte
{
    /// <summary>Decoded into one or more values (each with its own status).</summary>
    Decoded,

    /// <summary>Parity failed; nothing decoded.</summary>
    ParityError,

    /// <summary>No entry for this label and SDI.</summary>
    UnknownLabel,
}

/// <summary>Flags on a decoded value.</summary>
[Flags]
public enum ValueChecks : byte
{
    /// <summary>Nothing to report.</summary>
    None = 0,

    /// <summary>Outside the field's valid range.</summary>
    OutOfRange = 1,

    /// <summary>BCD digit above 9.</summary>
    MalformedBcd = 2,
}

/// <summary>One value decoded from a word.</summary>
/// <param name="ChannelId">Index into <see cref="LabelTable.Channels"/>.</param>
/// <param name="Value">Engineering value (NaN when <paramref name="Checks"/> has <see cref="ValueChecks.MalformedBcd"/>).</param>
/// <param name="Status">SSM meaning.</param>
/// <param name="Checks">Range and format checks.</param>
public readonly record struct DecodedValue(int ChannelId, double Value, WordStatus Status, ValueChecks Checks);

/// <summary>
/// An aircraft interface table compiled for decoding: label and SDI index straight into the
/// channels they carry, so decoding a word is a table look-up and a few shifts.
/// </summary>
public sealed class LabelTable
{
    private const int NoEntry = -1;

    // Indexed by (label << 2) | sdi: the first channel id of the word's fields, or NoEntry.
    private readonly int[] _firstChannel = new int[256 * 4];
    private readonly byte[] _fieldCount = new byte[256 * 4];
    private readonly Channel[] _channels;
    private readonly FieldDecoder[] _decoders;

    /// <summary>Builds the look-up tables; the entries must already be validated.</summary>
    internal LabelTable(LabelTableInfo info, ImmutableArray<LabelEntry> entries)
    {
        Info = info;
        Entries = entries;
        Array.Fill(_firstChannel, NoEntry);
        var channels = new List<Channel>();
        foreach (var entry in entries)
        {
            IEnumerable<int> sdis = entry.Engines.Count == 0 ? [0, 1, 2, 3] : entry.Engines.Keys.Order();
            foreach (int sdi in sdis)
            {
                int engine = entry.Engines.TryGetValue(sdi, out int e) ? e : 0;
                int slot = (entry.Label << 2) | sdi;
                int first = channels.FindIndex(c => c.EnginePosition == engine && c.Entry == entry);
                if (first < 0)
                {
                    first = channels.Count;
                    foreach (var field in entry.Fields)
                    {
                        channels.Add(new Channel(channels.Count, engine, field.Parameter, field.Unit, entry, field));
                    }
                }

                _firstChannel[slot] = first;
                _fieldCount[slot] = (byte)entry.Fields.Length;
            }
        }

        _channels = [.. channels];
        _decoders = [.. channels.Select(c => new FieldDecoder(c.Field))];
        Channels = [.. channels];
    }

    /// <summary>Table identity and aircraft.</summary>
    public LabelTableInfo Info { get; }

    /// <summary>The entries as loaded.</summary>
    public ImmutableArray<LabelEntry> Entries { get; }

    /// <summary>Every channel the table can produce, indexed by <see cref="Channel.Id"/>.</summary>
    public ImmutableArray<Channel> Channels { get; }

    /// <summary>Most values one word can decode into (size for the destination span).</summary>
    public int MaxFieldsPerWord => Entries.IsEmpty ? 0 : Entries.Max(e => e.Fields.Length);

    /// <summary>Finds the channel of an engine parameter; -1 when the table has none.</summary>
    public int FindChannel(int enginePosition, string parameter)
    {
        foreach (var c in _channels)
        {
            if (c.EnginePosition == enginePosition && string.Equals(c.Parameter, parameter, StringComparison.Ordinal))
            {
                return c.Id;
            }
        }

        return -1;
    }

    /// <summary>True when the table has an entry for the word's label and SDI.</summary>
    public bool Knows(uint word) => _firstChannel[((int)ArincWord.ReverseBits((byte)word) << 2) | (int)((word >> 8) & 3)] != NoEntry;

    /// <summary>
    /// Decodes a word into <paramref name="destination"/> (at least <see cref="MaxFieldsPerWord"/> long).
    /// Allocation-free.
    /// </summary>
    /// <returns>The outcome; <paramref name="written"/> values were written when it is <see cref="DecodeOutcome.Decoded"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public DecodeOutcome Decode(uint word, Span<DecodedValue> destination, out int written)
    {
        written = 0;
        var w = new ArincWord(word);
        if (!w.ParityOk)
        {
            return DecodeOutcome.ParityError;
        }

        int slot = (w.Label << 2) | w.Sdi;
        int first = _firstChannel[slot];
        if (first == NoEntry)
        {
            return DecodeOutcome.UnknownLabel;
        }

        int count = _fieldCount[slot];
        var decoders = _decoders;
        for (int i = 0; i < count; i++)
        {
            destination[i] = DecodeField(word, w.Ssm, first + i, in decoders[first + i]);
        }

        written = count;
        return DecodeOutcome.Decoded;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DecodedValue DecodeField(uint word, int ssm, int channelId, in FieldDecoder f)
    {
        var status = (WordStatus)s_status[((int)f.Encoding << 2) | ssm];
        double value;
        var checks = ValueChecks.None;
        switch (f.Encoding)
        {
            case ArincEncoding.Bnr:
                // Same arithmetic as Bnr.Decode, with the shift and resolution precomputed.
                value = ((int)(word << 3) >> f.Shift) * f.Resolution;
                break;
            case ArincEncoding.Bcd:
                if (Bcd.TryDecodeDigits(word, f.Shift, out int digits))
                {
                    value = digits * f.Resolution;
                    if (ssm == SsmRules.BcdMinus)
                    {
                        value = -value;
                    }
                }
                else
                {
                    return new DecodedValue(channelId, double.NaN, status, ValueChecks.MalformedBcd);
                }

                break;
            default:
                value = (word >> f.Shift) & f.Mask;
                break;
        }

        if (status == WordStatus.Normal && !(value >= f.ValidMin && value <= f.ValidMax))
        {
            checks = ValueChecks.OutOfRange;
        }

        return new DecodedValue(channelId, value, status, checks);
    }

    // SSM -> status per encoding, indexed by (encoding << 2) | ssm: the branches of SsmRules.Status as a table.
    private static readonly byte[] s_status = BuildStatusTable();

    private static byte[] BuildStatusTable()
    {
        var t = new byte[3 * 4];
        foreach (var e in new[] { ArincEncoding.Bnr, ArincEncoding.Bcd, ArincEncoding.Discrete })
        {
            for (int ssm = 0; ssm < 4; ssm++)
            {
                t[((int)e << 2) | ssm] = (byte)SsmRules.Status(e, ssm);
            }
        }

        return t;
    }

    /// <summary>What decoding one field needs, flattened so the hot loop touches one array.</summary>
    private readonly struct FieldDecoder
    {
        public FieldDecoder(LabelField f)
        {
            Encoding = f.Encoding;
            ValidMin = f.ValidMin;
            ValidMax = f.ValidMax;
            switch (f.Encoding)
            {
                case ArincEncoding.Bnr:
                    Shift = 13 + Bnr.MaxSignificantBits - f.SignificantBits;
                    Resolution = Bnr.Resolution(f.Range, f.SignificantBits);
                    break;
                case ArincEncoding.Bcd:
                    Shift = f.Digits;
                    Resolution = f.Resolution;
                    break;
                default:
                    Shift = f.FirstBit - 1;
                    Mask = (uint)((1L << (f.LastBit - f.FirstBit + 1)) - 1);
                    break;
            }
        }

        public ArincEncoding Encoding { get; }

        /// <summary>BNR: arithmetic shift after moving bit 29 to bit 32; BCD: digit count; discrete: first bit index.</summary>
        public int Shift { get; }

        public double Resolution { get; }

        public uint Mask { get; }

        public double ValidMin { get; }

        public double ValidMax { get; }
    }

    /// <summary>Encodes a value for a channel into a complete word (parity set). Used by the simulator and tests.</summary>
    public uint Encode(int channelId, double value, WordStatus status = WordStatus.Normal)
    {
        var c = _channels[channelId];
        var f = c.Field;
        int sdi = c.Entry.Engines.Count == 0 ? 0 : c.Entry.Engines.First(kv => kv.Value == c.EnginePosition).Key;
        uint data;
        bool negative = false;
        switch (f.Encoding)
        {
            case ArincEncoding.Bnr:
                data = Bnr.EncodeData(value, f.Range, f.SignificantBits);
                break;
            case ArincEncoding.Bcd:
                negative = value < 0;
                data = Bcd.EncodeData((int)Math.Round(Math.Abs(value) / f.Resolution), f.Digits);
                break;
            default:
                data = ((uint)value << (f.FirstBit - 11)) & ArincWord.DataMask;
                break;
        }

        return ArincWord.Create(c.Entry.Label, sdi, data, SsmRules.Encode(f.Encoding, status, negative)).Raw;
    }
}

/// <summary>Identity of a label table.</summary>
/// <param name="Name">Table name.</param>
/// <param name="AircraftType">Aircraft type it describes.</param>
/// <param name="EngineType">Engine type (selects exceedance limits).</param>
/// <param name="EngineCount">Number of engines.</param>
/// <param name="Sha256">SHA-256 of the file as loaded, lower-case hex (captures name the table by it).</param>
/// <param name="SourceFile">File it was loaded from.</param>
public sealed record LabelTableInfo(string Name, string AircraftType, string EngineType, int EngineCount, string Sha256, string SourceFile);
