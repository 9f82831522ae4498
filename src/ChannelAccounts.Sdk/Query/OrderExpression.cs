namespace ChannelAccounts.Sdk.Query;

public enum OrderType
{
    Ascending = 0,
    Descending = 1,
}

public sealed class OrderExpression
{
    public OrderExpression() { }

    public OrderExpression(string attributeName, OrderType orderType)
    {
        AttributeName = attributeName;
        OrderType = orderType;
    }

    public string AttributeName { get; set; } = "";

    public OrderType OrderType { get; set; }

    /// <summary>
    /// The alias of a link whose column this orders by, in the query's own Orders (FetchXML's order entityname), so the
    /// link's column takes this place in the ordering; null for the query's own table.
    /// </summary>
    public string? EntityName { get; set; }
}
