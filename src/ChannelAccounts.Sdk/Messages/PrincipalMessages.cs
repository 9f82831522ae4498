namespace ChannelAccounts.Sdk.Messages;

public sealed class AssociateRequest : OrganizationRequest
{
    public AssociateRequest() : base("Associate") { }

    public EntityReference Target { get => Get<EntityReference>(nameof(Target))!; set => this[nameof(Target)] = value; }

    public Relationship Relationship { get => Get<Relationship>(nameof(Relationship))!; set => this[nameof(Relationship)] = value; }

    public EntityReference[] RelatedEntities { get => Get<EntityReference[]>(nameof(RelatedEntities)) ?? []; set => this[nameof(RelatedEntities)] = value; }
}

public sealed class AssociateResponse : OrganizationResponse
{
}

public sealed class DisassociateRequest : OrganizationRequest
{
    public DisassociateRequest() : base("Disassociate") { }

    public EntityReference Target { get => Get<EntityReference>(nameof(Target))!; set => this[nameof(Target)] = value; }

    public Relationship Relationship { get => Get<Relationship>(nameof(Relationship))!; set => this[nameof(Relationship)] = value; }

    public EntityReference[] RelatedEntities { get => Get<EntityReference[]>(nameof(RelatedEntities)) ?? []; set => this[nameof(RelatedEntities)] = value; }
}

public sealed class DisassociateResponse : OrganizationResponse
{
}

public sealed class AddPrivilegesRoleRequest : OrganizationRequest
{
    public AddPrivilegesRoleRequest() : base("AddPrivilegesRole") { }

    public Guid RoleId { get => Get<Guid>(nameof(RoleId)); set => this[nameof(RoleId)] = value; }

    public RolePrivilege[] Privileges { get => Get<RolePrivilege[]>(nameof(Privileges)) ?? []; set => this[nameof(Privileges)] = value; }
}

public sealed class AddPrivilegesRoleResponse : OrganizationResponse
{
}

public sealed class ReplacePrivilegesRoleRequest : OrganizationRequest
{
    public ReplacePrivilegesRoleRequest() : base("ReplacePrivilegesRole") { }

    public Guid RoleId { get => Get<Guid>(nameof(RoleId)); set => this[nameof(RoleId)] = value; }

    public RolePrivilege[] Privileges { get => Get<RolePrivilege[]>(nameof(Privileges)) ?? []; set => this[nameof(Privileges)] = value; }
}

public sealed class ReplacePrivilegesRoleResponse : OrganizationResponse
{
}

public sealed class RemovePrivilegeRoleRequest : OrganizationRequest
{
    public RemovePrivilegeRoleRequest() : base("RemovePrivilegeRole") { }

    public Guid RoleId { get => Get<Guid>(nameof(RoleId)); set => this[nameof(RoleId)] = value; }

    public Guid PrivilegeId { get => Get<Guid>(nameof(PrivilegeId)); set => this[nameof(PrivilegeId)] = value; }
}

public sealed class RemovePrivilegeRoleResponse : OrganizationResponse
{
}

public sealed class AddMembersTeamRequest : OrganizationRequest
{
    public AddMembersTeamRequest() : base("AddMembersTeam") { }

    public Guid TeamId { get => Get<Guid>(nameof(TeamId)); set => this[nameof(TeamId)] = value; }

    public Guid[] MemberIds { get => Get<Guid[]>(nameof(MemberIds)) ?? []; set => this[nameof(MemberIds)] = value; }
}

public sealed class AddMembersTeamResponse : OrganizationResponse
{
}

public sealed class RemoveMembersTeamRequest : OrganizationRequest
{
    public RemoveMembersTeamRequest() : base("RemoveMembersTeam") { }

    public Guid TeamId { get => Get<Guid>(nameof(TeamId)); set => this[nameof(TeamId)] = value; }

    public Guid[] MemberIds { get => Get<Guid[]>(nameof(MemberIds)) ?? []; set => this[nameof(MemberIds)] = value; }
}

public sealed class RemoveMembersTeamResponse : OrganizationResponse
{
}
