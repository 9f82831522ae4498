namespace ChannelAccounts.Sdk.Query;

/// <summary>A FetchXML query, as in Microsoft.Xrm.Sdk.Query: the engine parses it into a QueryExpression (or an aggregate query).</summary>
public sealed class FetchExpression : QueryBase
{
    public FetchExpression() { }

    public FetchExpression(string query) => Query = query;

    /// <summary>The &lt;fetch&gt; document.</summary>
    public string Query { get; set; } = "";
}
