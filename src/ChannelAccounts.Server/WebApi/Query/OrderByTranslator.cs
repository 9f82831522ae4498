using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk.Query;
using Microsoft.OData.UriParser;

namespace ChannelAccounts.Server.WebApi.Query;

/// <summary>Turns $orderby (columns, asc/desc, _x_value allowed) into the query's Orders.</summary>
internal static class OrderByTranslator
{
    /// <param name="aliases">The parser's parameter aliases, read after the $orderby was parsed: $orderby=@p1&amp;@p1=msdyn_name names its column through one, as Dataverse allows.</param>
    public static IEnumerable<OrderExpression> Translate(OrderByClause? clause, EntityDefinition entity,
        IDictionary<string, SingleValueNode>? aliases = null)
    {
        for (; clause is not null; clause = clause.ThenBy)
        {
            var expression = FilterTranslator.Unwrap(clause.Expression);
            if (expression is ParameterAliasNode alias && aliases is not null && aliases.TryGetValue(alias.Alias, out var value) && value is not null)
            {
                expression = FilterTranslator.Unwrap(value);
            }

            if (expression is ParameterAliasNode unset)
            {
                throw ODataQueryFaults.BadQuery(
                    $"The parameter alias {unset.Alias} in $orderby has no value in the query string: add &{unset.Alias}=<column>, such as {unset.Alias}=msdyn_name.");
            }

            if (expression is not SingleValuePropertyAccessNode { Source: ResourceRangeVariableReferenceNode range } property)
            {
                throw ODataQueryFaults.NodeNotSupported(clause.Expression);
            }

            if (!FilterTranslator.IsOwnTable(range, entity))
            {
                throw FilterTranslator.ParentNotReachable(property.Property.Name);
            }

            var column = ColumnResolver.Get(entity, property.Property.Name);
            yield return new OrderExpression(column.LogicalName,
                clause.Direction == OrderByDirection.Descending ? OrderType.Descending : OrderType.Ascending);
        }
    }
}
