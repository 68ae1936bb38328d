using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using EdgeGateway.Core.Alerts;

namespace EdgeGateway.Crew;

/// <summary>
/// What the 20x4 display shows for a given set of alerts: pure text layout, no I/O.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>An unacknowledged crew alert: its text word-wrapped to 20 columns; when the text takes
/// three lines or fewer, the last line says the severity and either "PRESS ACK" or how many more
/// alerts wait behind it. Longer text fills all four lines, cut with "..".</item>
/// <item>Only acknowledged crew alerts: "ACKNOWLEDGED: n" and the most severe one's text.</item>
/// <item>No active crew alert: "ALL ENGINES OK".</item>
/// </list>
/// Characters outside the display's ASCII range (0x20-0x7D, without the backslash and tilde the
/// HD44780 ROM A00 draws as yen and arrow) are shown as '?'.
/// </remarks>
public static class CrewScreen
{
    /// <summary>Columns of the display.</summary>
    public const int Columns = 20;

    /// <summary>Rows of the display.</summary>
    public const int Rows = 4;

    /// <summary>First line of the idle screen.</summary>
    public const string IdleText = "ALL ENGINES OK";

    /// <summary>The screen shown during the start-up lamp test.</summary>
    public static ImmutableArray<string> LampTest { get; } = Pad(["LAMP TEST", "AMBER RED BUZZER ON", "", ""]);

    /// <summary>The idle screen.</summary>
    public static ImmutableArray<string> Idle { get; } = Pad([IdleText, "NO CREW ALERTS", "", ""]);

    /// <summary>Lays out the screen for the board's current alerts (ordered as <see cref="AlertBoard.Current"/>).</summary>
    public static ImmutableArray<string> Compose(ImmutableArray<Alert> current)
    {
        Alert? firstUnacknowledged = null;
        Alert? firstActive = null;
        int unacknowledged = 0;
        int active = 0;
        foreach (Alert a in current)
        {
            if (!a.IsCrewFacing || !a.IsActive)
            {
                continue;
            }

            active++;
            firstActive ??= a;
            if (a.State == AlertState.Raised)
            {
                unacknowledged++;
                firstUnacknowledged ??= a;
            }
        }

        if (firstUnacknowledged is not null)
        {
            List<string> lines = Wrap(firstUnacknowledged.Text, Columns, Rows);
            if (lines.Count < Rows)
            {
                string severity = SeverityWord(firstUnacknowledged.Severity);
                string status = unacknowledged > 1
                    ? string.Create(CultureInfo.InvariantCulture, $"{severity} +{unacknowledged - 1} MORE")
                    : severity + " PRESS ACK";
                while (lines.Count < Rows - 1)
                {
                    lines.Add("");
                }

                lines.Add(status);
            }

            return Pad(lines);
        }

        if (firstActive is not null)
        {
            List<string> lines = [string.Create(CultureInfo.InvariantCulture, $"ACKNOWLEDGED: {active}")];
            lines.AddRange(Wrap(firstActive.Text, Columns, Rows - 1));
            return Pad(lines);
        }

        return Idle;
    }

    /// <summary>
    /// Word-wraps <paramref name="text"/> into at most <paramref name="maxLines"/> lines of
    /// <paramref name="columns"/> characters. Words longer than a line are broken; text that does
    /// not fit ends in "..".
    /// </summary>
    public static List<string> Wrap(string text, int columns, int maxLines)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 4);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLines, 1);
        var lines = new List<string>();
        var line = new StringBuilder(columns);
        bool truncated = false;
        foreach (string rawWord in Sanitize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string word = rawWord;
            while (true)
            {
                int needed = line.Length == 0 ? word.Length : line.Length + 1 + word.Length;
                if (needed <= columns)
                {
                    if (line.Length > 0)
                    {
                        line.Append(' ');
                    }

                    line.Append(word);
                    break;
                }

                if (line.Length == 0)
                {
                    // A word longer than the line: break it.
                    line.Append(word.AsSpan(0, columns));
                    word = word[columns..];
                }

                if (lines.Count == maxLines - 1)
                {
                    truncated = true;
                    break;
                }

                lines.Add(line.ToString());
                line.Clear();
            }

            if (truncated)
            {
                break;
            }
        }

        string last = line.ToString();
        if (truncated)
        {
            last = (last.Length > columns - 2 ? last[..(columns - 2)] : last) + "..";
        }

        if (last.Length > 0 || lines.Count == 0)
        {
            lines.Add(last);
        }

        return lines;
    }

    private static string SeverityWord(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Warning => "WARNING",
        AlertSeverity.Caution => "CAUTION",
        _ => "ADVISORY",
    };

    private static string Sanitize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            sb.Append(c is >= ' ' and <= '}' and not '\\' ? c : (char.IsWhiteSpace(c) ? ' ' : '?'));
        }

        return sb.ToString();
    }

    private static ImmutableArray<string> Pad(List<string> lines)
    {
        var builder = ImmutableArray.CreateBuilder<string>(Rows);
        for (int i = 0; i < Rows; i++)
        {
            string line = i < lines.Count ? lines[i] : "";
            builder.Add(line.Length >= Columns ? line[..Columns] : line.PadRight(Columns));
        }

        return builder.MoveToImmutable();
    }
}
