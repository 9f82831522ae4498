using System.Text.Json;
using ChannelAccounts.Client.Json;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Client;

/// <summary>Associate/Disassociate as $ref on the relationship's navigation property; role and team actions as bound POSTs.</summary>
public sealed partial class ChannelAccountsServiceClient
{
    /// <summary>POST set(id)/relationship/$ref {"@odata.id":"…/relatedset(relatedid)"} for each related record.</summary>
    private async Task<OrganizationResponse> AssociateCoreAsync(AssociateRequest request, CancellationToken cancellationToken)
    {
        var (metadata, path) = await RelationshipPathAsync(request.Target, request.Relationship, cancellationToken);
        foreach (var related in request.RelatedEntities)
        {
            var body = Json(writer => writer.WriteString("@odata.id", $"{ServiceRoot}{metadata.EntitySet(related.LogicalName)}({related.Id})"));
            using var response = await _transport.SendAsync(HttpMethod.Post, path + "/$ref", body, null, cancellationToken);
        }

        return new AssociateResponse { ResponseName = "Associate" };
    }

    /// <summary>DELETE set(id)/relationship(relatedid)/$ref for each related record.</summary>
    private async Task<OrganizationResponse> DisassociateCoreAsync(DisassociateRequest request, CancellationToken cancellationToken)
    {
        var (_, path) = await RelationshipPathAsync(request.Target, request.Relationship, cancellationToken);
        foreach (var related in request.RelatedEntities)
        {
            using var response = await _transport.SendAsync(HttpMethod.Delete, $"{path}({related.Id})/$ref", null, null, cancellationToken);
        }

        return new DisassociateResponse { ResponseName = "Disassociate" };
    }

    /// <summary>roles(id)/Microsoft.Dynamics.CRM.AddPrivilegesRole and the other actions bound to roles and teams.</summary>
    private async Task<OrganizationResponse> PrincipalActionCoreAsync(OrganizationRequest request, CancellationToken cancellationToken)
    {
        var metadata = await MetadataAsync(cancellationToken);
        var (set, id, body, response) = request switch
        {
            AddPrivilegesRoleRequest add => ("roles", add.RoleId, Json(w => WritePrivileges(w, add.Privileges)), (OrganizationResponse)new AddPrivilegesRoleResponse()),
            ReplacePrivilegesRoleRequest replace => ("roles", replace.RoleId, Json(w => WritePrivileges(w, replace.Privileges)), new ReplacePrivilegesRoleResponse()),
            RemovePrivilegeRoleRequest remove => ("roles", remove.RoleId, Json(w => w.WriteString("PrivilegeId", remove.PrivilegeId)), new RemovePrivilegeRoleResponse()),
            AddMembersTeamRequest add => ("teams", add.TeamId, Json(w => WriteMembers(w, add.MemberIds, metadata)), new AddMembersTeamResponse()),
            RemoveMembersTeamRequest remove => ("teams", remove.TeamId, Json(w => WriteMembers(w, remove.MemberIds, metadata)), (OrganizationResponse)new RemoveMembersTeamResponse()),
            _ => throw new NotSupportedException($"The message '{request.RequestName}' is not supported by the Web API client."),
        };
        using var sent = await _transport.SendAsync(HttpMethod.Post, $"{set}({id})/Microsoft.Dynamics.CRM.{request.RequestName}", body, null, cancellationToken);
        response.ResponseName = request.RequestName;
        return response;
    }

    private async Task<(ServiceMetadata Metadata, string Path)> RelationshipPathAsync(EntityReference? target, Relationship? relationship, CancellationToken cancellationToken)
    {
        var metadata = await MetadataAsync(cancellationToken);
        if (target is null || relationship is null)
        {
            throw new ArgumentException("Associate and Disassociate need a Target and a Relationship.");
        }

        return (metadata, $"{metadata.EntitySet(target.LogicalName)}({target.Id})/{relationship.SchemaName}");
    }

    private static void WritePrivileges(Utf8JsonWriter writer, RolePrivilege[] privileges)
    {
        writer.WriteStartArray("Privileges");
        foreach (var privilege in privileges)
        {
            writer.WriteStartObject();
            writer.WriteString("PrivilegeId", privilege.PrivilegeId);
            writer.WriteString("Depth", privilege.Depth.ToString());
            if (privilege.BusinessUnitId != Guid.Empty)
            {
                writer.WriteString("BusinessUnitId", privilege.BusinessUnitId);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteMembers(Utf8JsonWriter writer, Guid[] members, ServiceMetadata metadata)
    {
        writer.WriteStartArray("Members");
        foreach (var member in members)
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.type", "Microsoft.Dynamics.CRM.systemuser");
            writer.WriteString(metadata.Table("systemuser").PrimaryIdAttribute, member);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
