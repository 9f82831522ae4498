using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Engine.Query;

/// <summary>A column of the result: the row key it is returned under and how to read it.</summary>
internal readonly record struct OutputColumn(string Key, AttributeTypeCode Type);

/// <summary>An ordering column (the primary id last): its SQL, direction, and where the SELECT returns it.</summary>
internal readonly record struct KeyColumn(ColumnExpression Column, bool Descending, int Ordinal);

/// <summary>One query as SQL for one dialect, with everything needed to read its rows and continue it.</summary>
internal sealed record CompiledQuery
{
    /// <summary>
    /// The SELECTs of the page, run in order until the page is full; each returns rows after those of the one
    /// before (usually one statement; two when keyset paging crosses the NULLs of the order column).
    /// </summary>
    public required IReadOnlyList<string> Segments { get; init; }

    /// <summary>The position of the LIMIT parameter, lowered for a later segment to the rows still missing.</summary>
    public int LimitParameter { get; init; }

    public required IReadOnlyList<QueryParameter> Parameters { get; init; }

    /// <summary>The returned columns, at ordinals 0..n-1; key columns not asked for follow them.</summary>
    public required OutputColumn[] Columns { get; init; }

    public required IReadOnlyList<KeyColumn> Keys { get; init; }

    /// <summary>Rows a page returns; the SQL fetches one more to learn whether more follow. Null for TopCount.</summary>
    public int? PageSize { get; init; }

    /// <summary>False when the next page is asked for by page number alone (a link repeats records): no paging cookie.</summary>
    public bool KeysetPaging { get; init; } = true;

    public int? TopCount { get; init; }

    public int PageNumber { get; init; }

    public required string EntityName { get; init; }

    /// <summary>The ordering as text, so a cookie of another ordering is refused.</summary>
    public required string Ordering { get; init; }

    /// <summary>The capped count of every matching row, using the first CountParameterCount parameters; or null.</summary>
    public string? CountSql { get; init; }

    public int CountParameterCount { get; init; }
}
