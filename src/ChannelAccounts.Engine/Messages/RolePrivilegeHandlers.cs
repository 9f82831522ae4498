using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Principals;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

/// <summary>AddPrivilegesRole: gives a role privileges at the depths named (a privilege it has already takes the new depth).</summary>
public sealed class AddPrivilegesRoleHandler : MessageHandler<AddPrivilegesRoleRequest, AddPrivilegesRoleResponse>
{
    protected override async ValueTask<AddPrivilegesRoleResponse> Handle(AddPrivilegesRoleRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        await RolePrivilegeStore.DemandAsync(request.RoleId, context, cancellationToken);
        foreach (var privilege in request.Privileges)
        {
            await RolePrivilegeStore.SetAsync(request.RoleId, privilege, context, cancellationToken);
        }

        return new AddPrivilegesRoleResponse();
    }
}

/// <summary>ReplacePrivilegesRole: the role holds exactly the privileges named afterwards.</summary>
public sealed class ReplacePrivilegesRoleHandler : MessageHandler<ReplacePrivilegesRoleRequest, ReplacePrivilegesRoleResponse>
{
    protected override async ValueTask<ReplacePrivilegesRoleResponse> Handle(ReplacePrivilegesRoleRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        await RolePrivilegeStore.DemandAsync(request.RoleId, context, cancellationToken);
        await context.Transaction.DeleteWhereAsync(context.Catalog[MetadataCatalog.RolePrivileges], "roleid", request.RoleId, cancellationToken);
        foreach (var privilege in request.Privileges)
        {
            await RolePrivilegeStore.SetAsync(request.RoleId, privilege, context, cancellationToken);
        }

        return new ReplacePrivilegesRoleResponse();
    }
}

/// <summary>RemovePrivilegeRole: the role no longer holds that privilege at any depth.</summary>
public sealed class RemovePrivilegeRoleHandler : MessageHandler<RemovePrivilegeRoleRequest, RemovePrivilegeRoleResponse>
{
    protected override async ValueTask<RemovePrivilegeRoleResponse> Handle(RemovePrivilegeRoleRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        await RolePrivilegeStore.DemandAsync(request.RoleId, context, cancellationToken);
        await context.Transaction.DeleteAsync(context.Catalog[MetadataCatalog.RolePrivileges], RolePrivilegeStore.Id(request.RoleId, request.PrivilegeId), cancellationToken);
        return new RemovePrivilegeRoleResponse();
    }
}

/// <summary>AddMembersTeam: users join a team (and gain what its roles and records give).</summary>
public sealed class AddMembersTeamHandler : MessageHandler<AddMembersTeamRequest, AddMembersTeamResponse>
{
    protected override async ValueTask<AddMembersTeamResponse> Handle(AddMembersTeamRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        var membership = PrincipalTables.Relationship("teammembership_association");
        await PrincipalWriter.DemandPrivilegeAsync(membership.WritePrivilege, context.Catalog[MetadataCatalog.Team], context, cancellationToken);
        foreach (var member in request.MemberIds)
        {
            await IntersectStore.LinkAsync(membership, MetadataCatalog.Team, request.TeamId, member, context, cancellationToken);
        }

        return new AddMembersTeamResponse();
    }
}

/// <summary>RemoveMembersTeam: users leave a team.</summary>
public sealed class RemoveMembersTeamHandler : MessageHandler<RemoveMembersTeamRequest, RemoveMembersTeamResponse>
{
    protected override async ValueTask<RemoveMembersTeamResponse> Handle(RemoveMembersTeamRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        var membership = PrincipalTables.Relationship("teammembership_association");
        await PrincipalWriter.DemandPrivilegeAsync(membership.WritePrivilege, context.Catalog[MetadataCatalog.Team], context, cancellationToken);
        await PrincipalWriter.HoldSecurityDataAsync(context, cancellationToken); // before the team's row, as every principal writer
        await PrincipalWriter.RequireAsync(context, MetadataCatalog.Team, request.TeamId, cancellationToken);
        foreach (var member in request.MemberIds)
        {
            await IntersectStore.UnlinkAsync(membership, MetadataCatalog.Team, request.TeamId, member, context, cancellationToken);
        }

        return new RemoveMembersTeamResponse();
    }
}
