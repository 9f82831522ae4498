using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Engine.Records;

/// <summary>How values are normalised for storage: UTC whole seconds, owner types as object type codes.</summary>
public static class StorageValues
{
    public const int SystemUserTypeCode = 8;
    public const int TeamTypeCode = 9;

    /// <summary>Dataverse keeps date-times to the second; we store them as UTC.</summary>
    public static DateTime ToStoredDateTime(DateTime value)
    {
        var utc = value.Kind switch
        {
            DateTimeKind.Local => value.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
            _ => value,
        };
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

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
