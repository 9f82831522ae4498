using System.Text;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage.Schema;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Query;

/// <summary>
/// A link that only tests related rows, as a predicate on the row it hangs from: EXISTS (or NOT EXISTS) of a subquery
/// of the linked table correlated by the link's columns, holding its criteria, the links nested in it and the caller's
/// read filter of each table (a row the caller may not read neither matches nor counts). The SQL of each type is the
/// one Dataverse documents for QueryExpression's filter link types: Any, In, Exists and NotAll (NotAll is Any,
/// despite the name) are EXISTS of rows meeting the criteria, NotAny its NOT EXISTS, and All is "related rows exist,
/// and none of them meets the criteria".
/// </summary>
internal sealed class LinkPredicates(MetadataCatalog catalog, SqlBuilder sql, QueryContext context)
{
    public string Predicate(TableSource parent, LinkEntity link) => link.JoinOperator switch
    {
        JoinOperator.Any or JoinOperator.NotAll or JoinOperator.Exists or JoinOperator.In => "EXISTS (" + Rows(parent, link, matching: true) + ")",
        JoinOperator.NotAny => "NOT EXISTS (" + Rows(parent, link, matching: true) + ")",
        JoinOperator.All => "(EXISTS (" + Rows(parent, link, matching: false) + ") AND NOT EXISTS (" + Rows(parent, link, matching: true) + "))",
        var other => throw DataverseFault.InvalidArgument(
            $"The link to '{LinkTree.AliasOf(link)}' tests related rows only with Any, NotAny, All, NotAll, Exists or In, not {other}."),
    };

    /// <param name="matching">With the link's criteria and nested links; without them, every related row the caller may read.</param>
    private string Rows(TableSource parent, LinkEntity link, bool matching)
    {
        var target = LinkJoins.Target(catalog, link);
        var alias = LinkTree.AliasOf(link);
        var source = new TableSource(target, sql.NewAlias("e"));
        var where = new List<string> { LinkJoins.JoinCondition(sql, parent, source, link) };
        var scope = new Dictionary<string, TableSource>(StringComparer.Ordinal) { [alias] = source };
        var joins = new StringBuilder();
        var names = new StringBuilder();
        return sql.WithNameJoins(names, () =>
        {
            if (matching)
            {
                var joiner = new LinkJoins(catalog, sql, context, scope, joins, aliasPrefix: "e");
                foreach (var nested in link.LinkEntities)
                {
                    joiner.Add(source, nested, [], []); // columns of a tested link are never returned
                }
                where.AddRange(joiner.Predicates);
                // Conditions name the linked table (no name, its alias or its table name) or a link nested in it, nothing outside.
                var filters = new FilterCompiler(sql, context, name =>
                    name is null || name == alias || name == target.LogicalName ? source
                    : scope.TryGetValue(name, out var nestedSource) ? nestedSource
                    : throw DataverseFault.InvalidArgument($"A condition of the link to '{alias}' refers to '{name}', which is neither that link nor one nested in it."));
                if (filters.Compile(link.LinkCriteria) is { } criteria)
                {
                    where.Add(criteria);
                }
            }
            if (LinkJoins.ReadFilter(sql, context, source) is { } allowed)
            {
                where.Add(allowed);
            }
            var text = new StringBuilder("SELECT 1 FROM ").Append(SchemaDefinition.Name(target.LogicalName)).Append(' ').Append(source.SqlAlias)
                .Append(joins).Append(names);
            SqlQueryCompiler.AppendWhere(text, where);
            return text.ToString();
        });
    }
}
