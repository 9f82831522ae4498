using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Engine.Records;

/// <summary>Owner types as the object type codes owneridtype stores (8 systemuser, 9 team), and the time stamp of a write.</summary>
public static class OwnerTypes
{
    public const int SystemUserTypeCode = 8;
    public const int TeamTypeCode = 9;

    /// <summary>Dataverse keeps date-times to the second; we store them as UTC.</summary>
    public static DateTime ToStoredDateTime(DateTime value) => Storage.StorageValues.ToUtcSeconds(value);

    public static int OwnerTypeCode(string logicalName) => logicalName switch
    {
        MetadataCatalog.SystemUser => SystemUserTypeCode,
        MetadataCatalog.Team => TeamTypeCode,
        _ => throw new ArgumentOutOfRangeException(nameof(logicalName), logicalName, "An owner is a systemuser or a team."),
    };

    public static string OwnerLogicalName(int typeCode) => typeCode switch
    {
        SystemUserTypeCode => MetadataCatalog.SystemUser,
        TeamTypeCode => MetadataCatalog.Team,
        _ => throw new ArgumentOutOfRangeException(nameof(typeCode), typeCode, "An owner is a systemuser (8) or a team (9)."),
    };
}
