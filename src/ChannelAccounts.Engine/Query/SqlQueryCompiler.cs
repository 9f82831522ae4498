using System.Collections.Concurrent;
using System.Text;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Engine.Storage.Schema;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Query;

/// <summary>
/// Compiles a QueryExpression into one parameterised SELECT for a dialect: columns (name companions joined),
/// link entities, criteria plus the security hook, Dataverse ordering (a lookup by the name of the record it points
/// to) with the primary id as tiebreaker, and keyset paging from the cookie (a seek, never an OFFSET) or OFFSET for a
/// numbered page without one.
/// NoLock is ignored (reads never block); Distinct only matters where a link repeats rows (DistinctLinks).
/// </summary>
internal sealed class SqlQueryCompiler(SqlDialect dialect, MetadataCatalog catalog)
{
    private const string MainAlias = "t";

    private readonly ConcurrentDictionary<string, (string Sql, OutputColumn[] Columns)> _retrieves = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CompiledQuery> _byId = new(StringComparer.Ordinal);

    internal CompiledQuery Compile(QueryExpression query, QueryContext context) =>
        RecordById(query, context) is { } id ? CompileById(query, context, id) : CompileQuery(query, context);

    /// <summary>Most record ids compile alike, so the largest number of column lists kept.</summary>
    internal const int MaxCachedRecordQueries = 1_000;

    /// <summary>
    /// One record by its id, without links, ordering or row security (a Retrieve by a caller who reads every row):
    /// the same SQL for every id, so it is compiled once per table and column list and reused with the id as its
    /// first parameter; compiling was the largest part of such a Retrieve in the engine.
    /// </summary>
    private CompiledQuery CompileById(QueryExpression query, QueryContext context, Guid id)
    {
        var key = query.EntityName + "|" + string.Join(",", query.ColumnSet.Columns);
        if (_byId.TryGetValue(key, out var cached))
        {
            return cached with { Parameters = [cached.Parameters[0] with { Value = id }, cached.Parameters[1]] };
        }

        var compiled = CompileQuery(query, context);
        // [id, LIMIT] is the shape reused above; anything else is simply not kept.
        if (compiled.Parameters is [{ Value: Guid }, _] && compiled.LimitParameter == 1 && _byId.Count < MaxCachedRecordQueries)
        {
            _byId.TryAdd(key, compiled);
        }
        return compiled;
    }

    /// <summary>
    /// Whether the criteria leave no row whose first order column is NULL: a condition ANDed at the top on that
    /// column that SQL never makes true for NULL (anything but Null, Equal to null and NotIn of no values), as a startswith on the
    /// ordered name. The first page then skips the statement that would read the NULLs.
    /// </summary>
    private static bool ExcludesNulls(FilterExpression criteria, EntityDefinition entity, KeyColumn first) =>
        (criteria.FilterOperator == LogicalOperator.And || criteria.Conditions.Count + criteria.Filters.Count == 1)
        && criteria.Conditions.Any(c => !c.CompareColumns && (c.EntityName is null || c.EntityName == entity.LogicalName)
            && c.AttributeName == first.Column.Attribute.LogicalName
            && c.Operator is not ConditionOperator.Null
            && !(c.Operator is ConditionOperator.Equal && c.Values is [null])
            && !(c.Operator is ConditionOperator.NotIn && c.Values.Count == 0)); // "not in nothing" is every row

    private Guid? RecordById(QueryExpression query, QueryContext context)
    {
        if (context.RowSecurity is not null || context.SecurityFilter is not null || query.TopCount != 1 || query.ColumnSet.AllColumns
            || query.LinkEntities.Count > 0 || query.Orders.Count > 0 || query.PageInfo.ReturnTotalRecordCount || query.PageInfo.PageNumber > 1
            || !string.IsNullOrEmpty(query.PageInfo.PagingCookie) || query.Criteria.Filters.Count > 0 || query.Criteria.AnyAllFilterLinkEntity is not null
            || query.Criteria.Conditions is not [{ Operator: ConditionOperator.Equal, CompareColumns: false, EntityName: null, Values: [Guid id] } condition]
            || !catalog.TryGetByLogicalName(query.EntityName, out var entity) || condition.AttributeName != entity.PrimaryIdAttribute)
        {
            return null;
        }

        return id;
    }

    /// <summary>The most linked tables one query may join, as in Dataverse.</summary>
    internal const int MaxLinkEntities = 15;

    private CompiledQuery CompileQuery(QueryExpression query, QueryContext context)
    {
        var joined = DistinctLinks.Of(query, catalog);
        var allLinks = LinkTree.All(joined).ToList();
        if (LinkTree.WalkEvery(query.LinkEntities, query.Criteria).Count() is var linkCount && linkCount > MaxLinkEntities)
        {
            throw DataverseFault.TooManyLinkEntities(linkCount, MaxLinkEntities);
        }

        var entity = Entity(query.EntityName);
        var sql = new SqlBuilder(dialect, catalog);
        var main = new TableSource(entity, MainAlias);
        var links = new Dictionary<string, TableSource>(StringComparer.Ordinal);
        var select = new List<string>();
        var columns = new List<OutputColumn>();

        var linkJoins = new StringBuilder();
        var joiner = new LinkJoins(catalog, sql, context, links, linkJoins);
        foreach (var link in joined)
        {
            joiner.Add(main, link, select, columns);
        }
        AddMainColumns(sql, main, query.ColumnSet, select, columns);

        TableSource TableOf(string? name) => joiner.TableOf(main, name);

        var filters = new FilterCompiler(sql, context, TableOf);
        var where = new List<string>(3);
        where.AddRange(joiner.Predicates);
        if (filters.Compile(query.Criteria) is { } criteria)
        {
            where.Add(criteria);
        }
        // The security hook: the row-level predicate of the caller's privileges, ANDed like any criteria.
        if (context.SecurityFilter is { } security && filters.Compile(security) is { } allowed)
        {
            where.Add(allowed);
        }
        // A link to the many side of a relationship repeats a record once per related row, and a page may end inside
        // one record's rows, where the record's keyset cannot say which of them come next. Such a query pages by page
        // number (no paging cookie), ordered by the linked rows' ids too so that each page follows the one before.
        var repeatsRecords = allLinks.Any(l => Entity(l.LinkToEntityName).PrimaryIdAttribute != l.LinkToAttributeName);
        // Orders by linked columns (FetchXML's order entityname, a link-entity's own orders) are Dataverse's legacy
        // paging too: the keyset is of the query's own table, so such a query also pages by page number.
        var linkOrders = allLinks.SelectMany(l => l.Orders.Select(o => (Alias: LinkTree.AliasOf(l), Order: o))).ToList();
        var ownOrders = query.Orders.Where(o => o.EntityName is null || o.EntityName == entity.LogicalName).ToList();
        var pagesByNumber = repeatsRecords || linkOrders.Count > 0 || ownOrders.Count != query.Orders.Count;
        // Row security: one predicate, or disjoint branches read as a UNION ALL of ordered, limited SELECTs.
        IReadOnlyList<string> branches = [];
        if (context.RowSecurity is { } rows)
        {
            if (!pagesByNumber && ReadsInBranches(query, entity, rows))
            {
                branches = RowSecurityCompiler.Branches(sql, main, rows);
            }
            else
            {
                where.Add(RowSecurityCompiler.Compile(sql, main, rows));
            }
        }
        if (branches.Count == 1)
        {
            where.Add(branches[0]);
            branches = [];
        }
        var countParameters = sql.Parameters.Count;

        var keys = Keys(sql, main, ownOrders, select, columns);
        var ordering = string.Join(",", keys.Select(k => k.Column.Attribute.LogicalName + (k.Descending ? " desc" : " asc")));
        var paged = query.TopCount is null;
        var pageSize = PageSize(query.PageInfo.Count);
        var pageNumber = Math.Max(1, query.PageInfo.PageNumber);
        string? offset = null;
        IReadOnlyList<string?> segments = [null];
        if (paged && !pagesByNumber && !string.IsNullOrEmpty(query.PageInfo.PagingCookie))
        {
            var (page, values) = PagingCookie.Decode(query.PageInfo.PagingCookie, entity.LogicalName, ordering, keys);
            pageNumber = page + 1;
            segments = KeysetPredicate.Segments(sql, keys, values);
        }
        else if (paged && pageNumber > 1)
        {
            offset = sql.Parameter((long)(pageNumber - 1) * pageSize, AttributeTypeCode.BigInt);
        }
        else if (branches.Count == 0 && !pagesByNumber)
        {
            segments = KeysetPredicate.FromStart(sql, keys, ExcludesNulls(query.Criteria, entity, keys[0]));
        }
        // A branched first page is one statement: ordered by the primary name, each branch reads its (security column,
        // name, id) index, whose order already puts the NULLs first; ordered otherwise, a branch sorts only its own
        // owner's or unit's matches. Splitting at the NULLs would only double the statements SQLite prepares per request.

        var from = new StringBuilder(" FROM ").Append(SchemaDefinition.Name(entity.LogicalName)).Append(' ').Append(MainAlias)
            .Append(linkJoins).Append(sql.NameJoins).ToString();
        var orderBy = " ORDER BY " + string.Join(", ", keys.Select(k => dialect.Comparable(k.Column.Sql, k.Column.Type) +
            (k.Descending ? " DESC" : " ASC") + (IsPrimaryId(k, entity) ? "" : SqlDialect.NullsOrder(k.Descending))));
        if (pagesByNumber)
        {
            var ordered = query.Orders.Select(o => (TableOf(o.EntityName), o)).Concat(linkOrders.Select(l => (links[l.Alias], l.Order)));
            orderBy = " ORDER BY " + string.Join(", ", PageNumberOrders(sql, ordered)
                .Append(orderBy[" ORDER BY ".Length..])
                .Concat(links.Values.Select(l => $"{l.SqlAlias}.{SchemaDefinition.Name(l.Entity.PrimaryIdAttribute)} ASC{SqlDialect.NullsOrder(false)}")));
        }
        var limit = paged ? pageSize + 1 : Math.Max(0, query.TopCount!.Value);
        var limitParameter = sql.Parameters.Count;
        var limitValue = dialect.LimitValue(sql.Parameter((long)limit, AttributeTypeCode.BigInt));
        var offsetValue = offset is null ? null : dialect.LimitValue(offset);
        var limitClause = " LIMIT " + limitValue + (offsetValue is null ? "" : " OFFSET " + offsetValue);
        var statements = segments.Select(segment =>
        {
            var segmentWhere = segment is null ? where : [.. where, segment];
            if (branches.Count > 0)
            {
                return BranchUnion.Page(select, from, segmentWhere, branches, keys, orderBy, limitValue, offsetValue, dialect);
            }
            var text = new StringBuilder("SELECT ").AppendJoin(", ", select).Append(from);
            AppendWhere(text, segmentWhere);
            return text.Append(orderBy).Append(limitClause).ToString();
        }).ToArray();

        string? countSql = null;
        if (query.PageInfo.ReturnTotalRecordCount)
        {
            var count = new StringBuilder("SELECT count(*) FROM (");
            if (branches.Count > 0)
            {
                count.Append(BranchUnion.Rows(from, where, branches));
            }
            else
            {
                count.Append("SELECT 1").Append(from);
                AppendWhere(count, where);
            }
            countSql = count.Append(" LIMIT ").Append(QueryContext.TotalRecordCountLimit + 1).Append(") c").ToString();
        }

        return new CompiledQuery
        {
            Segments = statements,
            LimitParameter = limitParameter,
            Parameters = sql.Parameters,
            Columns = columns.ToArray(),
            Keys = keys,
            KeysetPaging = !pagesByNumber,
            PageSize = paged ? pageSize : null,
            TopCount = query.TopCount,
            PageNumber = pageNumber,
            EntityName = entity.LogicalName,
            Ordering = ordering,
            CountSql = countSql,
            CountParameterCount = countParameters,
        };
    }

    /// <summary>SELECT .. WHERE id = @p0 for one record: the named columns (all stored ones when null), the row locked as asked.</summary>
    internal (string Sql, OutputColumn[] Columns) CompileRetrieve(EntityDefinition entity, IReadOnlyCollection<string>? columnNames,
        RowLock rowLock = RowLock.None)
    {
        var key = entity.LogicalName + rowLock switch { RowLock.Update => "|lock|", RowLock.Share => "|share|", _ => "|" }
                  + (columnNames is null ? "*" : string.Join(",", columnNames));
        return _retrieves.GetOrAdd(key, _ =>
        {
            var sql = new SqlBuilder(dialect, catalog);
            var (select, columns) = Selected(sql, new TableSource(entity, MainAlias), columnNames ?? entity.StoredAttributes.Select(a => a.LogicalName).ToList());
            var text = $"SELECT {(select.Count == 0 ? "1" : string.Join(", ", select))} FROM {SchemaDefinition.Name(entity.LogicalName)} {MainAlias}" +
                       $"{sql.NameJoins} WHERE {MainAlias}.{SchemaDefinition.Name(entity.PrimaryIdAttribute)} = {dialect.Parameter(0)}" +
                       rowLock switch
                       {
                           RowLock.Update => dialect.RowLockClause(MainAlias),
                           RowLock.Share => dialect.SharedRowLockClause(MainAlias),
                           _ => "",
                       };
            return (text, columns);
        });
    }

    /// <summary>The SELECT list of these columns of the main table, and how to read each back.</summary>
    private static (List<string> Select, OutputColumn[] Columns) Selected(SqlBuilder sql, TableSource main, IReadOnlyCollection<string> names)
    {
        var select = new List<string>(names.Count);
        var columns = new List<OutputColumn>(names.Count);
        foreach (var name in names)
        {
            var column = sql.Column(main, name);
            select.Add(column.Sql);
            columns.Add(new OutputColumn(name, column.Type));
        }
        return (select, columns.ToArray());
    }

    /// <summary>The columns (the primary id always among them) of the records whose ids bind parameters 0..count-1.</summary>
    internal (string Sql, OutputColumn[] Columns) CompileRetrieveMany(EntityDefinition entity, IReadOnlyCollection<string> columnNames,
        int count, bool forUpdate)
    {
        var sql = new SqlBuilder(dialect, catalog);
        var (select, columns) = Selected(sql, new TableSource(entity, MainAlias),
            columnNames.Append(entity.PrimaryIdAttribute).Distinct(StringComparer.Ordinal).ToList());
        var ids = string.Join(", ", Enumerable.Range(0, count).Select(dialect.Parameter));
        var text = $"SELECT {string.Join(", ", select)} FROM {SchemaDefinition.Name(entity.LogicalName)} {MainAlias}" +
                   $"{sql.NameJoins} WHERE {MainAlias}.{SchemaDefinition.Name(entity.PrimaryIdAttribute)} IN ({ids})" +
                   // Locked in id order: two bulk updates of overlapping records then wait for each other instead of deadlocking.
                   (forUpdate && dialect.RowLockClause(MainAlias) is { Length: > 0 } lockClause
                       ? $" ORDER BY {MainAlias}.{SchemaDefinition.Name(entity.PrimaryIdAttribute)}{lockClause}"
                       : "");
        return (text, columns);
    }

    /// <summary>
    /// Branches pay off when the page may have to pass over many rows the caller cannot see; a query pinned to one
    /// id (Retrieve) reads one row either way, so it keeps the single predicate; so does a table read through its
    /// parent (no owner or unit columns of its own to branch on).
    /// </summary>
    private static bool ReadsInBranches(QueryExpression query, EntityDefinition entity, RowSecurity rows) =>
        !rows.AllowsNothing && rows.Through is null
        && !(query.Criteria.FilterOperator == LogicalOperator.And && query.Criteria.Conditions.Any(c =>
            c.Operator == ConditionOperator.Equal && !c.CompareColumns && c.AttributeName == entity.PrimaryIdAttribute
            && (c.EntityName is null || c.EntityName == entity.LogicalName)));

    private static int PageSize(int count) =>
        count <= 0 ? QueryContext.MaxPageSize : Math.Min(count, QueryContext.MaxPageSize);

    /// <summary>The primary id is never NULL: no NULLS clause, so the order matches the (column, id) indexes as created.</summary>
    private static bool IsPrimaryId(KeyColumn key, EntityDefinition entity) =>
        key.Column.IsStored && key.Column.Attribute.LogicalName == entity.PrimaryIdAttribute;

    internal static void AppendWhere(StringBuilder text, List<string> where)
    {
        for (var i = 0; i < where.Count; i++)
        {
            text.Append(i == 0 ? " WHERE " : " AND ").Append(where[i]);
        }
    }

    private EntityDefinition Entity(string logicalName) =>
        catalog.TryGetByLogicalName(logicalName, out var entity)
            ? entity
            : throw DataverseFault.InvalidArgument($"The entity with a name = '{logicalName}' with namemapping = 'Logical' was not found in the MetadataCache.");

    private static void AddMainColumns(SqlBuilder sql, TableSource main, ColumnSet columnSet, List<string> select, List<OutputColumn> columns)
    {
        var entity = main.Entity;
        var names = columnSet.AllColumns ? entity.Attributes.Select(a => a.LogicalName) : columnSet.Columns.Distinct(StringComparer.Ordinal);
        var hasId = false;
        foreach (var name in names)
        {
            var column = sql.Column(main, name);
            hasId |= name == entity.PrimaryIdAttribute;
            select.Add(column.Sql);
            columns.Add(new OutputColumn(name, column.Type));
        }
        OwnerTypeColumns.Add(sql, main, names.ToHashSet(StringComparer.Ordinal), "", select, columns);

        if (!hasId)
        {
            var id = sql.Column(main, entity.PrimaryIdAttribute);
            select.Add(id.Sql);
            columns.Add(new OutputColumn(entity.PrimaryIdAttribute, id.Type));
        }
    }

    /// <summary>
    /// The ordering of a query paged by page number: its orders in their places (entityname orders naming a link's
    /// column), then the links' own orders outside-in, as Dataverse applies them; the caller appends the keys and the
    /// linked ids that make the order total.
    /// </summary>
    private List<string> PageNumberOrders(SqlBuilder sql, IEnumerable<(TableSource Source, OrderExpression Order)> orders) =>
        orders.Select(o =>
        {
            var column = sql.OrderColumn(o.Source, o.Order.AttributeName);
            var descending = o.Order.OrderType == OrderType.Descending;
            return dialect.Comparable(column.Sql, column.Type) + (descending ? " DESC" : " ASC") + SqlDialect.NullsOrder(descending);
        }).ToList();

    /// <summary>The ORDER BY columns, the primary id last; each selected (hidden when not asked for) so the cookie can be written.</summary>

    private static List<KeyColumn> Keys(SqlBuilder sql, TableSource main, List<OrderExpression> orders, List<string> select, List<OutputColumn> columns)
    {
        var keys = new List<KeyColumn>(orders.Count + 1);
        var idName = main.Entity.PrimaryIdAttribute;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var order in orders)
        {
            if (seen.Add(order.AttributeName))
            {
                keys.Add(Key(sql.OrderColumn(main, order.AttributeName), order.OrderType == OrderType.Descending, select, columns));
            }
        }
        if (!seen.Contains(idName))
        {
            // The tiebreaker follows the last direction so the (column, id) index is read in one direction.
            var descending = keys.Count > 0 && keys[^1].Descending;
            keys.Add(Key(sql.Column(main, idName), descending, select, columns));
        }
        else
        {
            // Columns after the primary id can never break a tie: the cookie only needs keys up to the id.
            var afterId = keys.FindIndex(k => k.Column.Attribute.LogicalName == idName) + 1;
            keys.RemoveRange(afterId, keys.Count - afterId);
        }
        return keys;
    }

    /// <summary>A key read back by the name of the column it orders by (owneridname for an order by ownerid).</summary>
    private static KeyColumn Key(ColumnExpression column, bool descending, List<string> select, List<OutputColumn> columns)
    {
        var name = column.Attribute.LogicalName;
        var ordinal = columns.FindIndex(c => c.Key == name);
        if (ordinal < 0)
        {
            ordinal = select.Count;
            select.Add(column.Sql);
        }
        return new KeyColumn(column, descending, ordinal);
    }
}
