namespace ChannelAccounts.Sdk;

/// <summary>Which columns to return: a list, or all of them.</summary>
public sealed class ColumnSet
{
    public ColumnSet() { }

    public ColumnSet(bool allColumns) => AllColumns = allColumns;

    public ColumnSet(params string[] columns) => Columns = new List<string>(columns);

    public bool AllColumns { get; set; }

    public List<string> Columns { get; set; } = new();

    public void AddColumns(params string[] columns) => Columns.AddRange(columns);
}
