namespace ChannelAccounts.Sdk.Query;

/// <summary>The base of every query a RetrieveMultipleRequest can carry.</summary>
public abstract class QueryBase
{
}
