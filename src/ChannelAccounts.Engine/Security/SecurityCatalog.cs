using System.Security.Cryptography;
using System.Text;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;

namespace ChannelAccounts.Engine.Security;

/// <summary>One privilege: its Dataverse name, the right it guards, and the depths a role may give it at.</summary>
public sealed record PrivilegeDefinition(Guid Id, string Name, AccessRights Right, bool CanBeBasic, bool CanBeLocal, bool CanBeDeep, bool CanBeGlobal);

/// <summary>
/// The privileges of the WhatsApp account table (prvCreate…, prvRead…), prvActOnBehalfOfAnotherUser, prvBulkDelete and prvBypassCustomPlugins, with
/// ids derived from their names so every database agrees on them, and the two shipped roles.
/// </summary>
public static class SecurityCatalog
{
    public const string ActOnBehalfOfAnotherUser = "prvActOnBehalfOfAnotherUser";
    public const string BulkDelete = "prvBulkDelete";

    /// <summary>Needed to send BypassCustomPluginExecution (Dataverse: the System Administrator role holds it by default).</summary>
    public const string BypassCustomPlugins = "prvBypassCustomPlugins";
    public const string SystemAdministratorName = "System Administrator";
    public const string BasicUserName = "Basic User";

    /// <summary>Dataverse's PrivilegeDepthMask bits as stored in roleprivileges.</summary>
    public const int BasicMask = 1;
    public const int LocalMask = 2;
    public const int DeepMask = 4;
    public const int GlobalMask = 8;

    private static readonly (string Verb, AccessRights Right)[] Verbs =
    [
        ("Create", AccessRights.CreateAccess),
        ("Read", AccessRights.ReadAccess),
        ("Write", AccessRights.WriteAccess),
        ("Delete", AccessRights.DeleteAccess),
        ("Append", AccessRights.AppendAccess),
        ("AppendTo", AccessRights.AppendToAccess),
        ("Assign", AccessRights.AssignAccess),
        ("Share", AccessRights.ShareAccess),
    ];

    public static IReadOnlyList<PrivilegeDefinition> Privileges { get; } = BuildPrivileges();

    public static Guid SystemAdministratorRoleId { get; } = DeterministicId("role:" + SystemAdministratorName);

    public static Guid BasicUserRoleId { get; } = DeterministicId("role:" + BasicUserName);

    /// <summary>The rights a record-level check can ask for, one privilege each.</summary>
    public static IEnumerable<AccessRights> RecordRights => Verbs.Select(v => v.Right);

    /// <summary>prv{Verb}{SchemaName}, e.g. prvReadmsdyn_ocwhatsappchannelaccount.</summary>
    public static string PrivilegeName(EntityDefinition entity, AccessRights right) =>
        "prv" + Verbs.Single(v => v.Right == right).Verb + entity.SchemaName;

    public static PrivilegeDefinition Privilege(string name) =>
        Privileges.FirstOrDefault(p => p.Name == name) ?? throw new KeyNotFoundException($"No privilege named '{name}'.");

    public static int DepthMask(PrivilegeDepth depth) => depth switch
    {
        PrivilegeDepth.Basic => BasicMask,
        PrivilegeDepth.Local => LocalMask,
        PrivilegeDepth.Deep => DeepMask,
        PrivilegeDepth.Global => GlobalMask,
        _ => throw new ArgumentOutOfRangeException(nameof(depth), depth, null),
    };

    /// <summary>The widest depth a stored mask grants (a role may hold several bits; the widest wins).</summary>
    public static PrivilegeDepth? WidestDepth(int mask) =>
        (mask & GlobalMask) != 0 ? PrivilegeDepth.Global
        : (mask & DeepMask) != 0 ? PrivilegeDepth.Deep
        : (mask & LocalMask) != 0 ? PrivilegeDepth.Local
        : (mask & BasicMask) != 0 ? PrivilegeDepth.Basic
        : null;

    /// <summary>A stable id from a name (SHA-256, shaped as a version 5 style GUID), so seeds are identical everywhere.</summary>
    public static Guid DeterministicId(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("channelaccounts:" + name));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private static List<PrivilegeDefinition> BuildPrivileges()
    {
        var entity = MetadataCatalog.Default[MetadataCatalog.WhatsAppAccount];
        var list = Verbs
            .Select(v => PrivilegeName(entity, v.Right))
            .Select((name, i) => new PrivilegeDefinition(DeterministicId("privilege:" + name), name, Verbs[i].Right, true, true, true, true))
            .ToList();
        list.Add(new PrivilegeDefinition(DeterministicId("privilege:" + ActOnBehalfOfAnotherUser), ActOnBehalfOfAnotherUser,
            AccessRights.None, false, false, false, true));
        list.Add(new PrivilegeDefinition(DeterministicId("privilege:" + BulkDelete), BulkDelete, AccessRights.None, false, false, false, true));
        list.Add(new PrivilegeDefinition(DeterministicId("privilege:" + BypassCustomPlugins), BypassCustomPlugins, AccessRights.None, false, false, false, true));
        return list;
    }
}
