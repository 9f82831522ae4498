using System.Collections.Frozen;
using System.Security.Cryptography;
using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Engine.Storage;

/// <summary>
/// A database value that changes, in the same transaction, with every write to a table a security profile or a
/// caller lookup is built from. Caches keyed by it are therefore never stale: the next message after a committed
/// change reads the new stamp and misses. The storage layer changes it (SqlStoreTransaction), so no writer can forget.
/// </summary>
internal static class SecurityStamp
{
    /// <summary>The tables SecurityProfileLoader and the caller lookup read. Shares are per record and never cached.</summary>
    public static readonly FrozenSet<string> Tables = new[]
    {
        MetadataCatalog.SystemUser, MetadataCatalog.Team, MetadataCatalog.BusinessUnit, MetadataCatalog.Role,
        MetadataCatalog.RolePrivileges, MetadataCatalog.SystemUserRoles, MetadataCatalog.TeamRoles, MetadataCatalog.TeamMembership,
    }.ToFrozenSet(StringComparer.Ordinal);

    public const string ReadSql = "SELECT value FROM ca_security_stamp WHERE id = 1";

    /// <summary>
    /// A random new value rather than value + 1: a rolled-back change can then never hand its number to a later,
    /// different change, so an entry cached under a number never seen committed cannot be mistaken for current data.
    /// </summary>
    public static string ChangeSql(SqlDialect dialect) => "UPDATE ca_security_stamp SET value = " + dialect.Parameter(0) + " WHERE id = 1";

    public static long NewValue() => BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
}
