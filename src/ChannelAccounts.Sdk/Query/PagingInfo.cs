namespace ChannelAccounts.Sdk.Query;

/// <summary>Which page to return: its size (Count), number, and the cookie of the page before it.</summary>
public sealed class PagingInfo
{
    /// <summary>Rows per page; 0 means the default (5,000).</summary>
    public int Count { get; set; }

    public int PageNumber { get; set; } = 1;

    public string? PagingCookie { get; set; }

    public bool ReturnTotalRecordCount { get; set; }
}
