namespace ChannelAccounts.Engine.Tests.Metadata;

/// <summary>One column section of the seed: its heading (the SchemaName), its "Added by" line and its property table.</summary>
internal sealed record SeedColumn(string SchemaName, string? AddedBy, IReadOnlyDictionary<string, string> Properties)
{
    public override string ToString() => SchemaName;
}

/// <summary>
/// Reads a Dataverse "Entity Reference" page as the seed markdown gives it, independently of our JSON definitions:
/// the table's description and property table, each column section, the choice tables and the writable/read-only lists.
/// </summary>
internal sealed class SeedDocument
{
    private const string PropertyTableHeader = "Property | Value |";
    private const string ChoicesSuffix = " Choices/Options";
    private const string AddedByPrefix = "Added by:";

    private readonly Dictionary<string, string> _tableProperties = new(StringComparer.Ordinal);
    private readonly List<SeedColumn> _columns = [];
    private readonly Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>> _choices = new(StringComparer.Ordinal);
    private readonly List<string> _writable = [];
    private readonly List<string> _readOnly = [];

    private SeedDocument()
    {
    }

    public string Title { get; private set; } = "";

    public string? TableDescription { get; private set; }

    public IReadOnlyDictionary<string, string> TableProperties => _tableProperties;

    public IReadOnlyList<SeedColumn> Columns => _columns;

    /// <summary>Choice rows by column SchemaName; each row maps a header ("Value", "Label", ...) to its cell.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>> Choices => _choices;

    public IReadOnlyList<string> WritableColumns => _writable;

    public IReadOnlyList<string> ReadOnlyColumns => _readOnly;

    public SeedColumn Column(string schemaName) =>
        _columns.SingleOrDefault(c => c.SchemaName == schemaName)
        ?? throw new KeyNotFoundException($"The seed has no column section '{schemaName}'.");

    public static SeedDocument Load(string fileName) => Parse(File.ReadAllLines(SeedLocator.SeedPath(fileName)));

    public static SeedDocument Parse(IReadOnlyList<string> rawLines)
    {
        var lines = rawLines.Select(l => l.Trim()).ToList();
        var doc = new SeedDocument { Title = lines.FirstOrDefault() ?? "" };
        doc.ReadTableDescription(lines);

        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i] == PropertyTableHeader)
            {
                i = doc.ReadPropertySection(lines, i);
            }
            else if (lines[i].EndsWith(ChoicesSuffix, StringComparison.Ordinal))
            {
                i = doc.ReadChoices(lines, i);
            }
            else if (lines[i].StartsWith("Writable columns/attributes", StringComparison.Ordinal))
            {
                i = ReadList(lines, i, doc._writable);
            }
            else if (lines[i].StartsWith("Read-only columns/attributes", StringComparison.Ordinal))
            {
                i = ReadList(lines, i, doc._readOnly);
            }
        }

        return doc;
    }

    /// <summary>The description is the line just before the table's own "Added by" line, which precedes "Messages".</summary>
    private void ReadTableDescription(List<string> lines)
    {
        var messages = lines.IndexOf("Messages");
        if (messages >= 2 && lines[messages - 1].StartsWith(AddedByPrefix, StringComparison.Ordinal))
        {
            TableDescription = lines[messages - 2];
        }
    }

    /// <summary>Reads the property table whose header is at <paramref name="header"/>; returns the index of its last row.</summary>
    private int ReadPropertySection(List<string> lines, int header)
    {
        var (rows, last) = ReadRows(lines, header + 2);
        var properties = rows.ToDictionary(r => r[0], r => r.Count > 1 ? r[1] : "", StringComparer.Ordinal);

        var headingIndex = header - 1;
        string? addedBy = null;
        if (lines[headingIndex].StartsWith(AddedByPrefix, StringComparison.Ordinal))
        {
            addedBy = lines[headingIndex][AddedByPrefix.Length..].Trim();
            headingIndex--;
        }

        var heading = lines[headingIndex];
        if (heading == "Properties")
        {
            foreach (var (key, value) in properties)
            {
                _tableProperties[key] = value;
            }
        }
        else
        {
            _columns.Add(new SeedColumn(heading, addedBy, properties));
        }

        return last;
    }

    private int ReadChoices(List<string> lines, int titleIndex)
    {
        var column = lines[titleIndex][..^ChoicesSuffix.Length];
        var headers = SplitRow(lines[titleIndex + 1]);
        var (rows, last) = ReadRows(lines, titleIndex + 3);
        _choices[column] = rows
            .Select(r => (IReadOnlyDictionary<string, string>)headers
                .Select((h, k) => (h, v: k < r.Count ? r[k] : ""))
                .ToDictionary(p => p.h, p => p.v, StringComparer.Ordinal))
            .ToList();
        return last;
    }

    /// <summary>Reads "a | b |" rows from <paramref name="first"/> on; returns them and the index of the last one read.</summary>
    private static (List<List<string>> Rows, int Last) ReadRows(List<string> lines, int first)
    {
        var rows = new List<List<string>>();
        var i = first;
        while (i < lines.Count && lines[i].EndsWith('|'))
        {
            rows.Add(SplitRow(lines[i]));
            i++;
        }

        return (rows, i - 1);
    }

    private static List<string> SplitRow(string line) =>
        line.TrimEnd('|').Split('|').Select(c => c.Trim()).ToList();

    /// <summary>Reads the "- Name" lines that follow a list heading (after its one explanatory line).</summary>
    private static int ReadList(List<string> lines, int headingIndex, List<string> into)
    {
        var i = headingIndex + 1;
        if (i < lines.Count && !lines[i].StartsWith("- ", StringComparison.Ordinal))
        {
            i++;
        }

        while (i < lines.Count && lines[i].StartsWith("- ", StringComparison.Ordinal))
        {
            into.Add(lines[i][2..].Trim());
            i++;
        }

        return i - 1;
    }
}
