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
    public bool AllowsNothing => OwnerIds.Count == 0 && BusinessUnitIds.Count == 0 && SharePrincipalIds.Count == 0;
}
