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
/// rows whose related row does not match or may not be read. Each alias names one joined table.
/// </summary>
internal sealed class LinkJoins(MetadataCatalog catalog, SqlBuilder sql, QueryContext context, Dictionary<string, TableSource> links, StringBuilder joins)
{
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
        var target = catalog.TryGetByLogicalName(link.LinkToEntityName, out var linked)
            ? linked
            : throw DataverseFault.InvalidArgument($"The entity with a name = '{link.LinkToEntityName}' with namemapping = 'Logical' was not found in the MetadataCache.");
        var alias = LinkTree.AliasOf(link);
        var source = new TableSource(target, "l" + links.Count);
        if (!links.TryAdd(alias, source))
        {
            throw DataverseFault.InvalidArgument($"The alias '{alias}' is used by more than one linked table.");
        }
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
        joins.Append(link.JoinOperator == JoinOperator.Inner ? " INNER JOIN " : " LEFT JOIN ")
            .Append(SchemaDefinition.Name(target.LogicalName)).Append(' ').Append(source.SqlAlias)
            .Append(" ON ").Append(to.Sql).Append(" = ").Append(from.Sql);
        // Link criteria sit in the ON clause, so an outer join keeps main rows whose related row does not match.
        var linkFilters = new FilterCompiler(sql, context, name =>
            name is null || name == alias ? source : throw DataverseFault.InvalidArgument($"A link criteria condition refers to '{name}', not to '{alias}'."));
        if (linkFilters.Compile(link.LinkCriteria) is { } criteria)
        {
            joins.Append(" AND ").Append(criteria);
        }
        // The linked table's read filter joins only rows the caller may read, like link criteria.
        if (context.LinkSecurity is { } linkSecurity && linkSecurity.TryGetValue(target.LogicalName, out var rows) && rows is not null)
        {
            joins.Append(" AND ").Append(RowSecurityCompiler.Compile(sql, source, rows));
        }
        var names = (link.Columns.AllColumns ? target.StoredAttributes.Select(a => a.LogicalName) : link.Columns.Columns).Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in names)
        {
            var column = sql.Column(source, name);
            select.Add(column.Sql);
            columns.Add(new OutputColumn(alias + "." + name, column.Type));
        }
        OwnerTypeColumns.Add(sql, source, names.ToHashSet(StringComparer.Ordinal), alias + ".", select, columns);
        foreach (var nested in link.LinkEntities)
        {
            Add(source, nested, select, columns);
        }
    }
}
