using System.Text.Json;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Server.WebApi.Edm;
using ChannelAccounts.Server.WebApi.Errors;
using ChannelAccounts.Server.WebApi.Json;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>
/// Managing principals the Dataverse way: $ref on the many-to-many navigation properties (Associate and
/// Disassociate), and the actions bound to roles and teams.
/// </summary>
public static class PrincipalEndpoints
{
    /// <summary>POST set(id)/nav/$ref {"@odata.id":"…"} links; DELETE set(id)/nav(otherid)/$ref or …/nav/$ref?$id=… unlinks.</summary>
    public static async Task ReferenceAsync(WebApiContext api, EntityDefinition entity, Guid id, string navigation, Guid? relatedKey, long maxBodyBytes)
    {
        var http = api.Http;
        var target = new EntityReference(entity.LogicalName, id);
        var relationship = new Relationship(navigation);
        if (HttpMethods.IsPost(http.Request.Method) || HttpMethods.IsPut(http.Request.Method))
        {
            var body = await RequestBody.ReadJsonAsync(http, entity.EntitySetName, maxBodyBytes);
            var uri = EntityReferenceUri.OfRefBody(body, ".");
            await api.ExecuteAsync(new AssociateRequest { Target = target, Relationship = relationship, RelatedEntities = [Related(api, uri)] });
        }
        else if (HttpMethods.IsDelete(http.Request.Method))
        {
            var related = relatedKey is { } key
                ? new EntityReference(RelatedEntity(api, entity, navigation), key)
                : http.Request.Query.TryGetValue("$id", out var uri)
                    ? Related(api, uri.ToString())
                    : throw WebApiException.BadRequest($"Say which link to remove: {navigation}(<id>)/$ref, or {navigation}/$ref?$id=<uri>.");
            await api.ExecuteAsync(new DisassociateRequest { Target = target, Relationship = relationship, RelatedEntities = [related] });
        }
        else
        {
            throw WebApiException.MethodNotAllowed(http.Request.Method, "a $ref (POST links, DELETE unlinks)", "POST", "PUT", "DELETE");
        }

        http.Response.StatusCode = StatusCodes.Status204NoContent;
        http.Response.Headers["OData-Version"] = "4.0";
    }

    /// <summary>roles(id)/Microsoft.Dynamics.CRM.AddPrivilegesRole and the other bound actions.</summary>
    public static async Task BoundActionAsync(WebApiContext api, EntityDefinition entity, Guid id, string action, long maxBodyBytes)
    {
        var http = api.Http;
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            throw WebApiException.NoResource(http.Request.Path + http.Request.QueryString);
        }

        var body = await RequestBody.ReadJsonAsync(http, action, maxBodyBytes);
        var reader = new OperationParameterReader(api.Catalog, action);
        reader.RejectUndeclared(body, api.Model);
        OrganizationRequest request = action switch
        {
            PrincipalOperationDeclarations.AddPrivilegesRole => new AddPrivilegesRoleRequest { RoleId = id, Privileges = Privileges(reader, body) },
            PrincipalOperationDeclarations.ReplacePrivilegesRole => new ReplacePrivilegesRoleRequest { RoleId = id, Privileges = Privileges(reader, body) },
            PrincipalOperationDeclarations.RemovePrivilegeRole => new RemovePrivilegeRoleRequest { RoleId = id, PrivilegeId = reader.Guid(reader.Required(body, "PrivilegeId"), "PrivilegeId") },
            PrincipalOperationDeclarations.AddMembersTeam => new AddMembersTeamRequest { TeamId = id, MemberIds = Members(reader, body) },
            PrincipalOperationDeclarations.RemoveMembersTeam => new RemoveMembersTeamRequest { TeamId = id, MemberIds = Members(reader, body) },
            _ => throw Engine.Pipeline.DataverseFault.UnsupportedRequest(action),
        };
        await api.ExecuteAsync(request);
        http.Response.StatusCode = StatusCodes.Status204NoContent;
        http.Response.Headers["OData-Version"] = "4.0";
    }

    private static RolePrivilege[] Privileges(OperationParameterReader reader, JsonElement body)
    {
        var list = reader.Required(body, "Privileges");
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw WebApiException.BadRequest("'Privileges' must be an array of {\"PrivilegeId\":\"…\",\"Depth\":\"Basic|Local|Deep|Global\"}.");
        }

        return list.EnumerateArray().Select(item => new RolePrivilege
        {
            PrivilegeId = reader.Guid(reader.Required(Declared(reader, item), "PrivilegeId"), "PrivilegeId"),
            PrivilegeName = item.TryGetProperty("PrivilegeName", out var pname) && pname.ValueKind == JsonValueKind.String ? pname.GetString() : null,
            Depth = reader.Depth(reader.Required(item, "Depth"), "Depth"),
            BusinessUnitId = item.TryGetProperty("BusinessUnitId", out var bu) && bu.ValueKind == JsonValueKind.String ? reader.Guid(bu, "BusinessUnitId") : Guid.Empty,
        }).ToArray();
    }

    private static JsonElement Declared(OperationParameterReader reader, JsonElement privilege)
    {
        if (privilege.ValueKind != JsonValueKind.Object)
        {
            throw WebApiException.BadRequest("Each of 'Privileges' must be an object: {\"PrivilegeId\":\"…\",\"Depth\":\"Basic|Local|Deep|Global\"}.");
        }

        reader.RejectUnknownProperties(privilege, "Privileges", $"{EdmModelBuilder.Namespace}.{nameof(RolePrivilege)}",
            name => name is "PrivilegeId" or "Depth" or "BusinessUnitId" or "PrivilegeName");
        return privilege;
    }

    private static Guid[] Members(OperationParameterReader reader, JsonElement body)
    {
        var list = reader.Required(body, "Members");
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw WebApiException.BadRequest("'Members' must be an array of systemusers: [{\"@odata.type\":\"Microsoft.Dynamics.CRM.systemuser\",\"systemuserid\":\"…\"}].");
        }

        return list.EnumerateArray().Select(item => reader.Reference(item, "Members")).Select(r => r.LogicalName == MetadataCatalog.SystemUser
            ? r.Id
            : throw WebApiException.BadRequest($"Team members are systemusers, not {r.LogicalName}.")).ToArray();
    }

    private static EntityReference Related(WebApiContext api, string uri) =>
        EntityReferenceUri.Require(uri, api.Catalog, "\"roles(<id>)\" or an absolute one");

    private static string RelatedEntity(WebApiContext api, EntityDefinition entity, string navigation) =>
        Engine.Principals.PrincipalTables.Relationship(navigation).From(entity.LogicalName).OtherEntity;
}
