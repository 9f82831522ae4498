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
}
