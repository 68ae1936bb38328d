using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeGateway.Sessions;

/// <summary>One session's journal entry, persisted beside its recording.</summary>
/// <param name="Id">Session id (also the file stem of its recording and summary).</param>
/// <param name="State">Last state reached.</param>
/// <param name="StartedUtc">Wall-clock time of the first word (gateway clock; informational).</param>
/// <param name="Tail">Aircraft registration.</param>
/// <param name="Note">Why the session ended as it did, when not an ordinary landing.</param>
public sealed record SessionRecord(string Id, LandingState State, DateTimeOffset StartedUtc, string Tail, string? Note = null);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, WriteIndented = true)]
[JsonSerializable(typeof(SessionRecord))]
internal sealed partial class SessionJournalJsonContext : JsonSerializerContext
{
}

/// <summary>
/// Session journal in <c>&lt;data&gt;/sessions/</c>: for each session <c>ID.json</c> (its state),
/// <c>ID.cap</c> (the recording, a capture file) and, once reported, <c>ID.summary.json</c>.
/// State files are replaced atomically (write, flush to disk, rename).
/// </summary>
public sealed class SessionJournal
{
    /// <summary>Opens (creating) the journal folder.</summary>
    public SessionJournal(string dataFolder)
    {
        Folder = Path.Combine(dataFolder, "sessions");
        Directory.CreateDirectory(Folder);
    }

    /// <summary>The folder holding the sessions.</summary>
    public string Folder { get; }

    /// <summary>Path of a session's recording.</summary>
    public string CapturePath(string id) => Path.Combine(Folder, id + ".cap");

    /// <summary>Path of a session's summary.</summary>
    public string SummaryPath(string id) => Path.Combine(Folder, id + ".summary.json");

    /// <summary>Writes a session's state durably.</summary>
    public void Save(SessionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        string path = Path.Combine(Folder, record.Id + ".json");
        string tmp = path + ".tmp";
        using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(f, record, SessionJournalJsonContext.Default.SessionRecord);
            f.Flush(flushToDisk: true);
        }

        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>All sessions, oldest first; unreadable entries are returned as problems, never deleted.</summary>
    public IReadOnlyList<SessionRecord> Load(out IReadOnlyList<string> problems)
    {
        var list = new List<SessionRecord>();
        var bad = new List<string>();
        foreach (string path in Directory.EnumerateFiles(Folder, "*.json").Where(p => !p.EndsWith(".summary.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            try
            {
                var r = JsonSerializer.Deserialize(File.ReadAllBytes(path), SessionJournalJsonContext.Default.SessionRecord);
                if (r is not null)
                {
                    list.Add(r);
                }
            }
            catch (JsonException e)
            {
                bad.Add($"{path}: {e.Message}");
            }
        }

        problems = bad;
        return list;
    }

    /// <summary>Deletes the files of the oldest reported sessions beyond <paramref name="keep"/>.</summary>
    public void Prune(int keep)
    {
        var reported = Load(out _).Where(r => r.State == LandingState.Reported).ToList();
        foreach (var r in reported.Take(Math.Max(0, reported.Count - keep)))
        {
            foreach (string p in new[] { CapturePath(r.Id), SummaryPath(r.Id), Path.Combine(Folder, r.Id + ".json") })
            {
                File.Delete(p);
            }
        }
    }
}
