namespace ChannelAccounts.Engine.Records;

/// <summary>Ids the platform gives new records.</summary>
public static class RecordIds
{
    /// <summary>
    /// A time-ordered GUID (version 7), as Dataverse hands out sequential GUIDs: every index ending in the primary id
    /// then grows at its end instead of at a random page, so a create dirties and reads fewer index pages.
    /// </summary>
    public static Guid New() => Guid.CreateVersion7();
}
