namespace ChannelAccounts.Engine.Query;

/// <summary>What a query needs to know about its caller and the moment it runs (EqualUserId, Today, LastXDays...).</summary>
public sealed record QueryContext(Guid UserId, Guid BusinessUnitId, DateTime UtcNow)
{
    /// <summary>Page size when PagingInfo.Count is 0, and the largest allowed.</summary>
    public const int MaxPageSize = 5000;

    /// <summary>$count and TotalRecordCount stop counting here, as Dataverse does.</summary>
    public const int TotalRecordCountLimit = 5000;

    /// <summary>
    /// The security hook: a row-level filter the caller's privileges impose (ownership, business unit, sharing),
    /// ANDed into every query's WHERE clause by the compiler. Null means no restriction.
    /// </summary>
    public Sdk.Query.FilterExpression? SecurityFilter { get; init; }

    /// <summary>The caller's row-level security: which rows of the queried table it may read. Null means all rows.</summary>
    public RowSecurity? RowSecurity { get; init; }

    /// <summary>
    /// The row-level security of each linked table, by logical name (a null value: all its rows). Set by the
    /// message handlers; a store-level query without it joins every row.
    /// </summary>
    public IReadOnlyDictionary<string, RowSecurity?>? LinkSecurity { get; init; }
}

/// <summary>One page of a query's rows, with the cursor that continues it.</summary>
public sealed class QueryPage
{
    public required IReadOnlyList<Storage.StoredRow> Rows { get; init; }

    public bool MoreRecords { get; init; }

    /// <summary>Opaque keyset cursor after the last row; null when there are no more rows.</summary>
    public string? PagingCookie { get; init; }

    /// <summary>-1 unless PagingInfo.ReturnTotalRecordCount was set.</summary>
    public int TotalRecordCount { get; init; } = -1;

    public bool TotalRecordCountLimitExceeded { get; init; }
}
