using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk.Query;
using Microsoft.OData.UriParser;

namespace ChannelAccounts.Server.WebApi.Query;

/// <summary>Turns $orderby (columns, asc/desc, _x_value allowed) into the query's Orders.</summary>
internal static class OrderByTranslator
{
    public static IEnumerable<OrderExpression> Translate(OrderByClause? clause, EntityDefinition entity)
    {
        for (; clause is not null; clause = clause.ThenBy)
        {
            if (FilterTranslator.Unwrap(clause.Expression) is not SingleValuePropertyAccessNode { Source: ResourceRangeVariableReferenceNode range } property)
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
