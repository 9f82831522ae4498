namespace ChannelAccounts.Sdk;

/// <summary>Rights on a record, as Microsoft.Crm.Sdk.AccessRights (flags; the Web API writes names joined by ", ").</summary>
[Flags]
public enum AccessRights
{
    None = 0,
    ReadAccess = 1,
    WriteAccess = 2,
    AppendAccess = 4,
    AppendToAccess = 16,
    CreateAccess = 32,
    DeleteAccess = 65536,
    ShareAccess = 262144,
    AssignAccess = 524288,
}

/// <summary>How far a role's privilege reaches: own records, the business unit, its subtree, or everything.</summary>
public enum PrivilegeDepth
{
    Basic = 0,
    Local = 1,
    Deep = 2,
    Global = 3,
}

/// <summary>A principal (systemuser or team) and the rights it holds on a record.</summary>
public sealed class PrincipalAccess
{
    public EntityReference Principal { get; set; } = new();

    public AccessRights AccessMask { get; set; }
}
