namespace ChannelAccounts.Engine.Query;

/// <summary>
/// Which rows a caller may see, as data the SQL compiler turns into one predicate inside the query (so $count,
/// paging and $expand see only readable rows): rows owned by one of OwnerIds, rows of one of BusinessUnitIds, or
/// rows shared with one of SharePrincipalIds with the right in AccessRight.
/// </summary>
public sealed record RowSecurity(
    IReadOnlyList<Guid> OwnerIds,
    IReadOnlyList<Guid> BusinessUnitIds,
    IReadOnlyList<Guid> SharePrincipalIds,
    int AccessRight)
{
    /// <summary>Set for a table read through a lookup (ReadAccessThrough): the filter applies to the record the lookup names.</summary>
    public RowSecurityParent? Through { get; init; }

    public bool AllowsNothing => OwnerIds.Count == 0 && BusinessUnitIds.Count == 0 && SharePrincipalIds.Count == 0;
}

/// <summary>The parent table whose read filter decides, and the lookup column of the queried table that points to it.</summary>
public sealed record RowSecurityParent(Metadata.EntityDefinition Parent, string Lookup);
