using System.Text;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Engine.Storage.Schema;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Query;

/// <summary>
/// The joins of a query's links (QueryExpression LinkEntity, FetchXML link-entity), nested ones from the link they sit
/// in: link criteria and the caller's read filter of the linked table in the ON clause, so an outer join keeps the
/// rows whose related row does not match or may not be read. Each alias names one joined table. A link that only tests
/// related rows (In, Exists, Any...) joins nothing: it is a predicate (<see cref="LinkPredicates"/>) on the row it
/// hangs from, in <see cref="Predicates"/> for the query's own table and in the ON clause of a joined link's.
/// </summary>
/// <param name="aliasPrefix">The prefix of the SQL aliases of the joined tables ("l": l0, l1...; a subquery's its own).</param>
internal sealed class LinkJoins(MetadataCatalog catalog, SqlBuilder sql, QueryContext context, Dictionary<string, TableSource> links, StringBuilder joins,
    string aliasPrefix = "l")
{
    private LinkPredicates? _tests;

    /// <summary>The tests of related rows on the query's own table, to AND into its WHERE clause.</summary>
    public List<string> Predicates { get; } = [];

    private LinkPredicates Tests => _tests ??= new LinkPredicates(catalog, sql, context);

    /// <summary>
    /// The table a condition, order or aggregate names: none or the query's own table's name is <paramref name="main"/>,
    /// anything else a link's alias.
    /// </summary>
    public TableSource TableOf(TableSource main, string? name) =>
        name is null || name == main.Entity.LogicalName ? main
        : links.TryGetValue(name, out var linked) ? linked
        : throw DataverseFault.InvalidArgument($"The query refers to '{name}', which is neither '{main.Entity.LogicalName}' nor the alias of a linked table.");

    /// <summary>Joins the link (and the links nested in it), and selects its columns as "alias.column".</summary>
    /// <param name="parent">The table the link is joined from: the query's own, or the link it is nested in.</param>
    public void Add(TableSource parent, LinkEntity link, List<string> select, List<OutputColumn> columns)
    {
        if (LinkTree.IsTest(link))
        {
            Predicates.Add(Tests.Predicate(parent, link));
            return;
        }

        var target = Target(catalog, link);
        var alias = LinkTree.AliasOf(link);
        var source = new TableSource(target, sql.NewAlias(aliasPrefix));
        if (!links.TryAdd(alias, source))
        {
            throw DataverseFault.InvalidArgument($"The alias '{alias}' is used by more than one linked table.");
        }
        // MatchFirstRowUsingCrossApply joins the first related row that passes everything below (by id: the order
        // Dataverse leaves open), chosen in a subquery on a table alias of its own.
        var firstRow = link.JoinOperator == JoinOperator.MatchFirstRowUsingCrossApply;
        var tested = firstRow ? new TableSource(target, sql.NewAlias(aliasPrefix)) : source;
        var conditions = new List<string> { JoinCondition(sql, parent, tested, link) };
        // Link criteria sit in the ON clause, so an outer join keeps main rows whose related row does not match.
        var linkFilters = new FilterCompiler(sql, context, name =>
            name is null || name == alias ? tested : throw DataverseFault.InvalidArgument($"A link criteria condition refers to '{name}', not to '{alias}'."));
        if (linkFilters.Compile(link.LinkCriteria) is { } criteria)
        {
            conditions.Add(criteria);
        }
        // The linked table's read filter joins only rows the caller may read, like link criteria.
        if (ReadFilter(sql, context, tested) is { } allowed)
        {
            conditions.Add(allowed);
        }
        // Tests of the linked row's own related rows belong to its ON clause too, written before any nested join.
        conditions.AddRange(link.LinkEntities.Where(LinkTree.IsTest).Select(test => Tests.Predicate(tested, test)));
        joins.Append(link.JoinOperator == JoinOperator.LeftOuter ? " LEFT JOIN " : " INNER JOIN ")
            .Append(SchemaDefinition.Name(target.LogicalName)).Append(' ').Append(source.SqlAlias).Append(" ON ");
        if (firstRow)
        {
            var id = sql.Column(tested, target.PrimaryIdAttribute).Sql;
            joins.Append(sql.Column(source, target.PrimaryIdAttribute).Sql).Append(" = (SELECT ").Append(id)
                .Append(" FROM ").Append(SchemaDefinition.Name(target.LogicalName)).Append(' ').Append(tested.SqlAlias)
                .Append(" WHERE ").AppendJoin(" AND ", conditions).Append(" ORDER BY ").Append(id).Append(" LIMIT 1)");
        }
        else
        {
            joins.AppendJoin(" AND ", conditions);
        }

        var names = (link.Columns.AllColumns ? target.StoredAttributes.Select(a => a.LogicalName) : link.Columns.Columns).Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in names)
        {
            var column = sql.Column(source, name);
            select.Add(column.Sql);
            columns.Add(new OutputColumn(alias + "." + name, column.Type));
        }
        OwnerTypeColumns.Add(sql, source, names.ToHashSet(StringComparer.Ordinal), alias + ".", select, columns);
        foreach (var nested in link.LinkEntities.Where(l => !LinkTree.IsTest(l)))
        {
            Add(source, nested, select, columns);
        }
    }

    /// <summary>The table a link names.</summary>
    public static EntityDefinition Target(MetadataCatalog catalog, LinkEntity link) =>
        catalog.TryGetByLogicalName(link.LinkToEntityName, out var linked)
            ? linked
            : throw DataverseFault.InvalidArgument($"The entity with a name = '{link.LinkToEntityName}' with namemapping = 'Logical' was not found in the MetadataCache.");

    /// <summary>"linked.to = parent.from": the columns must be stored and of one kind.</summary>
    public static string JoinCondition(SqlBuilder sql, TableSource parent, TableSource source, LinkEntity link)
    {
        var alias = LinkTree.AliasOf(link);
        var from = sql.Column(parent, link.LinkFromAttributeName);
        var to = sql.Column(source, link.LinkToAttributeName);
        if (!from.IsStored || !to.IsStored)
        {
            throw DataverseFault.InvalidArgument($"The link from '{link.LinkFromAttributeName}' to '{alias}.{link.LinkToAttributeName}' must join stored columns.");
        }
        // Columns of different kinds never match (and PostgreSQL has no operator comparing, say, uuid with text).
        if (StorageValues.ClrType(from.Attribute.AttributeType) != StorageValues.ClrType(to.Attribute.AttributeType))
        {
            throw DataverseFault.InvalidArgument(
                $"The link from '{link.LinkFromAttributeName}' ({from.Attribute.AttributeType}) to '{alias}.{link.LinkToAttributeName}' " +
                $"({to.Attribute.AttributeType}) joins columns of different types; join a lookup to the primary id of the table it points to.");
        }
        return to.Sql + " = " + from.Sql;
    }

    /// <summary>The rows of a linked table the caller may read, or null when it reads all of them (or the query is the store's own).</summary>
    public static string? ReadFilter(SqlBuilder sql, QueryContext context, TableSource source) =>
        context.LinkSecurity is { } linkSecurity && linkSecurity.TryGetValue(source.Entity.LogicalName, out var rows) && rows is not null
            ? RowSecurityCompiler.Compile(sql, source, rows)
            : null;
}
