namespace ChannelAccounts.Server.WebApi.Batch;

/// <summary>
/// Where a write that answers with the record itself (201, no OData-EntityId) leaves that record's URI on its
/// HttpContext, so a later request of the same change set can still name it as "$n".
/// </summary>
public static class WrittenRecord
{
    public const string ItemKey = "ChannelAccounts.WrittenRecordUri";
}
