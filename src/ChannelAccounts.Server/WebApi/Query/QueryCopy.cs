using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Server.WebApi.Query;

/// <summary>
/// Deep copies of a QueryExpression, so a cached translation can be handed to a request that adds columns,
/// paging or links to it. Condition values are immutable scalars (strings, Guids, numbers, dates) and shared.
/// </summary>
public static class QueryCopy
{
    public static QueryExpression Of(QueryExpression query)
    {
        var copy = new QueryExpression(query.EntityName)
        {
            ColumnSet = Of(query.ColumnSet),
            Criteria = Of(query.Criteria),
            PageInfo = new PagingInfo
            {
                Count = query.PageInfo.Count,
                PageNumber = query.PageInfo.PageNumber,
                PagingCookie = query.PageInfo.PagingCookie,
                ReturnTotalRecordCount = query.PageInfo.ReturnTotalRecordCount,
            },
            TopCount = query.TopCount,
            Distinct = query.Distinct,
            NoLock = query.NoLock,
        };
        copy.Orders.AddRange(query.Orders.Select(Of));
        copy.LinkEntities.AddRange(query.LinkEntities.Select(Of));
        return copy;
    }

    private static OrderExpression Of(OrderExpression order) => new(order.AttributeName, order.OrderType) { EntityName = order.EntityName };

    public static ColumnSet Of(ColumnSet columns) => new() { AllColumns = columns.AllColumns, Columns = [.. columns.Columns] };

    private static LinkEntity Of(LinkEntity link)
    {
        var copy = new LinkEntity(link.LinkFromEntityName, link.LinkToEntityName, link.LinkFromAttributeName, link.LinkToAttributeName, link.JoinOperator)
        {
            Columns = Of(link.Columns),
            EntityAlias = link.EntityAlias,
            LinkCriteria = Of(link.LinkCriteria),
        };
        copy.Orders.AddRange(link.Orders.Select(Of));
        copy.LinkEntities.AddRange(link.LinkEntities.Select(Of));
        return copy;
    }

    private static FilterExpression Of(FilterExpression filter)
    {
        var copy = new FilterExpression
        {
            FilterOperator = filter.FilterOperator,
            AnyAllFilterLinkEntity = filter.AnyAllFilterLinkEntity is { } test ? Of(test) : null,
        };
        copy.Conditions.AddRange(filter.Conditions.Select(c => new ConditionExpression
        {
            EntityName = c.EntityName,
            AttributeName = c.AttributeName,
            Operator = c.Operator,
            Values = [.. c.Values],
            CompareColumns = c.CompareColumns,
        }));
        copy.Filters.AddRange(filter.Filters.Select(Of));
        return copy;
    }
}
