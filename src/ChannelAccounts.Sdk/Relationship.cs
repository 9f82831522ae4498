namespace ChannelAccounts.Sdk;

/// <summary>A relationship by its schema name, e.g. "systemuserroles_association".</summary>
public sealed class Relationship
{
    public Relationship() { }

    public Relationship(string schemaName) => SchemaName = schemaName;

    public string SchemaName { get; set; } = "";

    public override string ToString() => SchemaName;
}

/// <summary>A privilege as role messages carry it: which one, and at what depth.</summary>
public sealed class RolePrivilege
{
    public RolePrivilege() { }

    public RolePrivilege(PrivilegeDepth depth, Guid privilegeId)
    {
        Depth = depth;
        PrivilegeId = privilegeId;
    }

    public PrivilegeDepth Depth { get; set; }

    public Guid PrivilegeId { get; set; }

    public Guid BusinessUnitId { get; set; }

    public string? PrivilegeName { get; set; }
}
