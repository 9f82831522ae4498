using System.Text.Json;
using ChannelAccounts.Client.Http;
using ChannelAccounts.Client.Json;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Client;

/// <summary>Associate/Disassociate as $ref on the relationship's navigation property; role and team actions as bound POSTs.</summary>
public sealed partial class ChannelAccountsServiceClient
{
    /// <summary>POST set(id)/relationship/$ref {"@odata.id":"…/relatedset(relatedid)"} for each related record.</summary>
    private MessageForm AssociateForm(AssociateRequest request, ServiceMetadata metadata)
    {
        var path = RelationshipPath(metadata, request.Target, request.Relationship);
        var calls = request.RelatedEntities.Select(related => new WebApiCall(HttpMethod.Post, path + "/$ref",
            Json(writer => writer.WriteString("@odata.id", $"{ServiceRoot}{metadata.EntitySet(related.LogicalName)}({related.Id})")))).ToList();
        return MessageForm.Of(calls, () => new AssociateResponse { ResponseName = "Associate" });
    }

    /// <summary>DELETE set(id)/relationship(relatedid)/$ref for each related record.</summary>
    private static MessageForm DisassociateForm(DisassociateRequest request, ServiceMetadata metadata)
    {
        var path = RelationshipPath(metadata, request.Target, request.Relationship);
        var calls = request.RelatedEntities.Select(related => new WebApiCall(HttpMethod.Delete, $"{path}({related.Id})/$ref")).ToList();
        return MessageForm.Of(calls, () => new DisassociateResponse { ResponseName = "Disassociate" });
    }

    /// <summary>roles(id)/Microsoft.Dynamics.CRM.AddPrivilegesRole and the other actions bound to roles and teams.</summary>
    private static MessageForm PrincipalActionForm(OrganizationRequest request, ServiceMetadata metadata)
    {
        var (set, id, body, response) = request switch
        {
            AddPrivilegesRoleRequest add => ("roles", add.RoleId, Json(w => WritePrivileges(w, add.Privileges)), (OrganizationResponse)new AddPrivilegesRoleResponse()),
            ReplacePrivilegesRoleRequest replace => ("roles", replace.RoleId, Json(w => WritePrivileges(w, replace.Privileges)), new ReplacePrivilegesRoleResponse()),
            RemovePrivilegeRoleRequest remove => ("roles", remove.RoleId, Json(w => w.WriteString("PrivilegeId", remove.PrivilegeId)), new RemovePrivilegeRoleResponse()),
            AddMembersTeamRequest add => ("teams", add.TeamId, Json(w => WriteMembers(w, add.MemberIds, metadata)), new AddMembersTeamResponse()),
            RemoveMembersTeamRequest remove => ("teams", remove.TeamId, Json(w => WriteMembers(w, remove.MemberIds, metadata)), (OrganizationResponse)new RemoveMembersTeamResponse()),
            _ => throw new NotSupportedException($"The message '{request.RequestName}' is not supported by the Web API client."),
        };
        response.ResponseName = request.RequestName;
        return MessageForm.Of([new WebApiCall(HttpMethod.Post, $"{set}({id})/Microsoft.Dynamics.CRM.{request.RequestName}", body)], () => response);
    }

    private static string RelationshipPath(ServiceMetadata metadata, EntityReference? target, Relationship? relationship) =>
        target is null || relationship is null
            ? throw new ArgumentException("Associate and Disassociate need a Target and a Relationship.")
            : $"{metadata.EntitySet(target.LogicalName)}({target.Id})/{relationship.SchemaName}";

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
