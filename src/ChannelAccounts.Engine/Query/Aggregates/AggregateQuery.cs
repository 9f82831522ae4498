using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Query.Aggregates;

public enum AggregateFunction
{
    Count,
    CountColumn,
    Min,
    Max,
    Avg,
    Sum,
}

public enum DateGrouping
{
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

/// <summary>One GROUP BY key: a column (or a UTC date part of it), returned under Alias; of a linked table when LinkAlias names its link.</summary>
public sealed record GroupKey(string AttributeName, string Alias, DateGrouping? DateGrouping = null, string? LinkAlias = null);

/// <summary>One aggregate column: count(*) when AttributeName is null, else the function over the column (of the linked table LinkAlias names, if any).</summary>
/// <summary>An order of the groups by the alias of a grouped or aggregated column (FetchXML &lt;order alias="…" descending="…"/&gt;).</summary>
public sealed record AggregateOrder(string Alias, bool Descending);

public sealed record AggregateColumn(AggregateFunction Function, string? AttributeName, string Alias, bool Distinct = false, string? LinkAlias = null);

/// <summary>
/// An aggregate query (FetchXML aggregate="true", OData $apply): groups and aggregates over the rows of one table
/// that match Criteria. The row-level security of the caller applies exactly as for a QueryExpression.
/// Rows come back keyed by the aliases, ordered by Orders and then by the group keys.
/// </summary>
public sealed class AggregateQuery : QueryBase
{
    /// <summary>
    /// A grouped lookup's row also holds the name of the record it points to, under its alias and this suffix (never
    /// an alias of its own: aliases are identifiers), for the group's formatted value.
    /// </summary>
    public const string LookupNameSuffix = "@name";

    public AggregateQuery() { }

    public AggregateQuery(string entityName) => EntityName = entityName;

    public string EntityName { get; set; } = "";

    public FilterExpression Criteria { get; set; } = new();

    public List<GroupKey> Groups { get; } = new();

    public List<AggregateColumn> Aggregates { get; } = new();

    /// <summary>Linked tables (FetchXML link-entity inside an aggregate entity) whose columns may be grouped or aggregated.</summary>
    public List<LinkEntity> LinkEntities { get; } = new();

    /// <summary>How the groups are ordered, before the group keys (ascending) that settle the rest.</summary>
    public List<AggregateOrder> Orders { get; } = new();

    /// <summary>At most this many groups; null for no limit.</summary>
    public int? TopCount { get; set; }

    /// <summary>Every column the query groups or aggregates, with the alias of its link (null: the query's own table).</summary>
    public IEnumerable<(string? LinkAlias, string Column)> Columns =>
        Groups.Select(g => (g.LinkAlias, g.AttributeName))
            .Concat(Aggregates.Where(a => a.AttributeName is not null).Select(a => (a.LinkAlias, a.AttributeName!)));

    /// <summary>The logical name of the table a column belongs to: the query's own, or its link's.</summary>
    public string TableOf(string? linkAlias) =>
        linkAlias is null ? EntityName
        : LinkTree.All(LinkEntities).FirstOrDefault(l => LinkTree.AliasOf(l) == linkAlias)?.LinkToEntityName
          ?? throw Pipeline.DataverseFault.InvalidArgument($"No link-entity of the query has the alias '{linkAlias}'.");
}
