using System.Text;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Engine.Storage.Schema;

namespace ChannelAccounts.Engine.Query.Aggregates;

/// <summary>One output column of an aggregate query: its alias, how to read it, and the function that made it.</summary>
internal sealed record AggregateOutput(string Alias, AttributeTypeCode Type, AggregateFunction? Function, DateGrouping? Grouping);

/// <summary>An aggregate query as one SELECT .. GROUP BY for a dialect.</summary>
internal sealed record CompiledAggregate(string Sql, IReadOnlyList<QueryParameter> Parameters, IReadOnlyList<AggregateOutput> Outputs);

/// <summary>
/// Compiles an AggregateQuery: criteria, the caller's row security (the same predicate as for a QueryExpression),
/// GROUP BY the keys (date parts in UTC: strftime on SQLite, extract on PostgreSQL) and the aggregates.
/// </summary>
internal sealed class AggregateCompiler(SqlDialect dialect, MetadataCatalog catalog)
{
    private const int MaxGroups = 50000;

    public CompiledAggregate Compile(AggregateQuery query, QueryContext context)
    {
        if (!catalog.TryGetByLogicalName(query.EntityName, out var entity))
        {
            throw DataverseFault.InvalidArgument($"The entity with a name = '{query.EntityName}' with namemapping = 'Logical' was not found in the MetadataCache.");
        }
        if (query.Groups.Count == 0 && query.Aggregates.Count == 0)
        {
            throw DataverseFault.InvalidArgument("An aggregate query needs at least one groupby or aggregate attribute.");
        }
        var aliases = new HashSet<string>(StringComparer.Ordinal);
        foreach (var alias in query.Groups.Select(g => g.Alias).Concat(query.Aggregates.Select(a => a.Alias)))
        {
            if (string.IsNullOrEmpty(alias) || !aliases.Add(alias))
            {
                throw DataverseFault.InvalidArgument($"Every groupby and aggregate attribute needs its own alias; '{alias}' is missing or used twice.");
            }
        }

        var sql = new SqlBuilder(dialect, catalog);
        var main = new TableSource(entity, "t");
        var select = new List<string>();
        var groupBy = new List<string>();
        var ordered = new Dictionary<string, string>(StringComparer.Ordinal); // alias: what ORDER BY names for it
        var outputs = new List<AggregateOutput>();
        var links = new Dictionary<string, TableSource>(StringComparer.Ordinal);
        var linkJoins = new StringBuilder();
        var joiner = new LinkJoins(catalog, sql, context, links, linkJoins);
        foreach (var link in query.LinkEntities)
        {
            joiner.Add(main, link, [], []); // a linked column is read only as a group or an aggregate
        }

        TableSource SourceOf(string? alias) => joiner.TableOf(main, alias);

        foreach (var group in query.Groups)
        {
            var source = SourceOf(group.LinkAlias);
            var column = sql.Column(source, group.AttributeName);
            string expression, key;
            if (group.DateGrouping is { } grouping)
            {
                if (column.Type != AttributeTypeCode.DateTime)
                {
                    throw DataverseFault.InvalidArgument($"dategrouping needs a date and time column; '{group.AttributeName}' is {column.Type}.");
                }
                expression = key = DatePart(column.Sql, grouping);
                outputs.Add(new AggregateOutput(group.Alias, AttributeTypeCode.Integer, null, grouping));
            }
            else if (SqlDialect.IsText(column.Type) && dialect.FoldCase(column.Sql) is var folded && folded != column.Sql)
            {
                // Text groups ignore case, as Dataverse's collation does ("alpha" and "Alpha" are one group; SQLite's
                // NOCASE columns do it themselves): grouped by the folded text, the group shows one of its spellings.
                expression = "min(" + column.Sql + ")";
                key = folded;
                outputs.Add(new AggregateOutput(group.Alias, column.Type, null, null));
            }
            else
            {
                expression = key = column.Sql;
                outputs.Add(new AggregateOutput(group.Alias, column.Type, null, null));
            }
            select.Add(expression);
            groupBy.Add(key);
            ordered[group.Alias] = key;
            if (column.Attribute.IsLookup && source.Entity.NameOf(column.Attribute.LogicalName) is { } name)
            {
                // The name follows from the id, so grouping by it too changes no group; it is the group's formatted value.
                var nameColumn = sql.Column(source, name.LogicalName);
                outputs.Add(new AggregateOutput(group.Alias + AggregateQuery.LookupNameSuffix, AttributeTypeCode.String, null, null));
                select.Add(nameColumn.Sql);
                groupBy.Add(nameColumn.Sql);
            }
        }
        foreach (var aggregate in query.Aggregates)
        {
            var computed = Aggregate(sql, SourceOf(aggregate.LinkAlias), aggregate, out var type);
            select.Add(computed);
            ordered[aggregate.Alias] = computed;
            outputs.Add(new AggregateOutput(aggregate.Alias, type, aggregate.Function, null));
        }

        var where = new List<string>(joiner.Predicates);
        var filters = new FilterCompiler(sql, context, SourceOf);
        if (filters.Compile(query.Criteria) is { } criteria)
        {
            where.Add(criteria);
        }
        if (context.SecurityFilter is { } security && filters.Compile(security) is { } allowed)
        {
            where.Add(allowed);
        }
        if (context.RowSecurity is { } rows)
        {
            where.Add(RowSecurityCompiler.Compile(sql, main, rows));
        }

        var text = new StringBuilder("SELECT ").AppendJoin(", ", select)
            .Append(" FROM ").Append(SchemaDefinition.Name(entity.LogicalName)).Append(" t").Append(linkJoins).Append(sql.NameJoins);
        for (var i = 0; i < where.Count; i++)
        {
            text.Append(i == 0 ? " WHERE " : " AND ").Append(where[i]);
        }
        if (groupBy.Count > 0)
        {
            // SQL Server's NULLs, which Dataverse shows: first going up, last going down.
            var orderBy = query.Orders.Select(o => (ordered.TryGetValue(o.Alias, out var by) ? by : throw DataverseFault.InvalidArgument(
                    $"The order alias '{o.Alias}' is not the alias of a grouped or aggregated attribute of the query."))
                + (o.Descending ? " DESC NULLS LAST" : " ASC NULLS FIRST"));
            text.Append(" GROUP BY ").AppendJoin(", ", groupBy).Append(" ORDER BY ")
                .AppendJoin(", ", orderBy.Concat(groupBy.Select(g => g + " ASC NULLS FIRST")));
        }
        var limit = Math.Min(query.TopCount ?? MaxGroups, MaxGroups);
        text.Append(" LIMIT ").Append(dialect.LimitValue(sql.Parameter((long)limit, AttributeTypeCode.BigInt)));
        return new CompiledAggregate(text.ToString(), sql.Parameters, outputs);
    }

    private static string Aggregate(SqlBuilder sql, TableSource main, AggregateColumn aggregate, out AttributeTypeCode type)
    {
        if (aggregate.Function == AggregateFunction.Count && aggregate.AttributeName is null)
        {
            type = AttributeTypeCode.Integer;
            return "count(*)";
        }
        var column = sql.Column(main, aggregate.AttributeName ?? throw DataverseFault.InvalidArgument($"The aggregate '{aggregate.Alias}' needs an attribute."));
        var distinct = aggregate.Distinct ? "DISTINCT " : "";
        var numeric = StorageValues.IsInt32(column.Type) || column.Type is AttributeTypeCode.BigInt;
        switch (aggregate.Function)
        {
            case AggregateFunction.Count or AggregateFunction.CountColumn:
                type = AttributeTypeCode.Integer;
                // Distinct text ignores case, as grouping does: "alpha" and "Alpha" count once.
                var counted = aggregate.Distinct ? sql.Dialect.Comparable(column.Sql, column.Type) : column.Sql;
                return aggregate.Function == AggregateFunction.Count && !aggregate.Distinct ? "count(*)" : $"count({distinct}{counted})";
            // SQL Server, under Dataverse, has no min or max of a uniqueidentifier or a bit; PostgreSQL none of a uuid either.
            case AggregateFunction.Min or AggregateFunction.Max
                when !StorageValues.IsGuid(column.Type) && column.Type is not (AttributeTypeCode.EntityName or AttributeTypeCode.Boolean):
                type = column.Type;
                // Text compares ignoring case, as Dataverse's collation does ("alpha" before "Beta").
                return SqlDialect.IsText(column.Type)
                    ? sql.Dialect.TextExtreme(column.Sql, greatest: aggregate.Function == AggregateFunction.Max)
                    : (aggregate.Function == AggregateFunction.Min ? "min(" : "max(") + column.Sql + ")";
            case AggregateFunction.Sum or AggregateFunction.Avg when numeric:
                type = AttributeTypeCode.BigInt; // read by function: avg as double, sum as long
                return aggregate.Function == AggregateFunction.Avg
                    ? $"CAST(avg({distinct}{column.Sql}) AS DOUBLE PRECISION)"
                    : $"CAST(sum({distinct}{column.Sql}) AS BIGINT)";
            default:
                throw DataverseFault.InvalidArgument(
                    $"The aggregate {aggregate.Function.ToString().ToLowerInvariant()} cannot be applied to '{column.Attribute.LogicalName}', which is {column.Type}.");
        }
    }

    /// <summary>
    /// The date part as an integer, in UTC: day of month, week of year, month, quarter, year. Weeks are SQL Server's
    /// DATEPART(week) under Dataverse: week 1 holds January 1st and each week starts on a Sunday.
    /// </summary>
    private string DatePart(string column, DateGrouping grouping)
    {
        if (dialect.Provider == "postgres")
        {
            var utc = $"({column} AT TIME ZONE 'UTC')";
            return grouping switch
            {
                DateGrouping.Week => $"CAST(floor((extract(doy FROM {utc}) - 1 + extract(dow FROM date_trunc('year', {utc}))) / 7) AS integer) + 1",
                _ => $"CAST(extract({grouping.ToString().ToLowerInvariant()} FROM {utc}) AS integer)",
            };
        }
        return grouping switch
        {
            DateGrouping.Day => $"CAST(strftime('%d', {column}) AS INTEGER)",
            DateGrouping.Week => $"(CAST(strftime('%j', {column}) AS INTEGER) - 1 + CAST(strftime('%w', {column}, 'start of year') AS INTEGER)) / 7 + 1",
            DateGrouping.Month => $"CAST(strftime('%m', {column}) AS INTEGER)",
            DateGrouping.Quarter => $"(CAST(strftime('%m', {column}) AS INTEGER) + 2) / 3",
            _ => $"CAST(strftime('%Y', {column}) AS INTEGER)",
        };
    }
}
