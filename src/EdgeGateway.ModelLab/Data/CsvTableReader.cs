namespace EdgeGateway.ModelLab.Data;

/// <summary>
/// Reads a delimited text file with a header row. The separator is a single character, or
/// <c>ws</c> for runs of whitespace (C-MAPSS style). Double quotes around a cell are removed.
/// Written by hand rather than through DuckDB so that every error can name the file's line number.
/// </summary>
public static class CsvTableReader
{
    /// <summary>Parses a separator option: <c>,</c>, <c>;</c>, <c>tab</c>, <c>ws</c> or any single character.</summary>
    public static char? ParseSeparator(string? option) => option switch
    {
        null or "" or "," => ',',
        "tab" or "\\t" => '\t',
        "ws" or "whitespace" => null,
        { Length: 1 } s => s[0],
        _ => throw new LabException($"separator '{option}' is not one character, 'tab' or 'ws'"),
    };

    /// <summary>Reads <paramref name="path"/>; <paramref name="separator"/> null splits on whitespace.</summary>
    public static LabTable Read(string path, char? separator = ',', IReadOnlyList<string>? headerOverride = null)
    {
        if (!File.Exists(path))
        {
            throw new LabException($"{path}: file not found");
        }

        var name = Path.GetFileName(path);
        using var reader = new StreamReader(path);
        var lineNo = 0;
        string[] header;
        if (headerOverride is not null)
        {
            header = [.. headerOverride];
        }
        else
        {
            var first = reader.ReadLine();
            lineNo++;
            if (first is null)
            {
                throw new LabException($"{name}: file is empty (no header row)");
            }

            header = Split(first, separator);
        }

        var columns = new List<string?>[header.Length];
        for (var c = 0; c < header.Length; c++)
        {
            columns[c] = [];
        }

        var lineNumbers = new List<int>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (line.Length == 0 || (separator is null && string.IsNullOrWhiteSpace(line)))
            {
                continue;
            }

            var cells = Split(line, separator);
            if (cells.Length != header.Length)
            {
                throw new LabException($"{name}: line {lineNo} has {cells.Length} cells, the header has {header.Length}");
            }

            for (var c = 0; c < cells.Length; c++)
            {
                columns[c].Add(cells[c]);
            }

            lineNumbers.Add(lineNo);
        }

        var texts = columns.Select(l => l.ToArray()).ToArray();
        var lines = lineNumbers.ToArray();
        return new LabTable(name, header, new double[]?[header.Length], texts, lines.Length, r => $"line {lines[r]}");
    }

    private static string[] Split(string line, char? separator)
    {
        var parts = separator is { } s
            ? line.Split(s)
            : line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var p = parts[i].Trim();
            if (p.Length >= 2 && p[0] == '"' && p[^1] == '"')
            {
                p = p[1..^1];
            }

            parts[i] = p;
        }

        return parts;
    }
}
