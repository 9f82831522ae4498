using System.Text.Json;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Server.WebApi.Edm;
using ChannelAccounts.Server.WebApi.Errors;
using ChannelAccounts.Server.WebApi.Json;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>GrantAccess, ModifyAccess, RevokeAccess (POST actions) and the two access functions (GET), in research §3's shapes.</summary>
public static class SharingEndpoints
{
    public static async Task ActionAsync(WebApiContext api, string action, long maxBodyBytes)
    {
        if (!HttpMethods.IsPost(api.Http.Request.Method))
        {
            throw WebApiException.NoResource(api.Http.Request.Path + api.Http.Request.QueryString);
        }

        var body = await RequestBody.ReadJsonAsync(api.Http, action, maxBodyBytes);
        var reader = new OperationParameterReader(api.Catalog, action);
        reader.RejectUndeclared(body, api.Model);
        var target = reader.Reference(reader.Required(body, "Target"), "Target");
        OrganizationRequest request = action switch
        {
            SecurityOperationDeclarations.RevokeAccess => new RevokeAccessRequest
            {
                Target = target,
                Revokee = reader.Reference(reader.Required(body, "Revokee"), "Revokee"),
            },
            SecurityOperationDeclarations.GrantAccess => new GrantAccessRequest { Target = target, PrincipalAccess = ReadPrincipalAccess(reader, body) },
            _ => new ModifyAccessRequest { Target = target, PrincipalAccess = ReadPrincipalAccess(reader, body) },
        };
        await api.ExecuteAsync(request);
        api.Http.Response.StatusCode = StatusCodes.Status204NoContent;
        api.Http.Response.Headers["OData-Version"] = "4.0";
    }

    public static async Task RetrieveSharedPrincipalsAndAccessAsync(WebApiContext api, EntityReference target)
    {
        var response = (RetrieveSharedPrincipalsAndAccessResponse)await api.ExecuteAsync(new RetrieveSharedPrincipalsAndAccessRequest { Target = target });
        await OperationResponse.WriteAsync(api, $"{EdmModelBuilder.Namespace}.{SecurityOperationDeclarations.RetrieveSharedPrincipalsAndAccess}Response", body =>
        {
            var writer = body.Writer;
            body.PropertyType("PrincipalAccesses", $"#Collection({EdmModelBuilder.Namespace}.{nameof(PrincipalAccess)})");
            writer.WriteStartArray("PrincipalAccesses");
            foreach (var access in response.PrincipalAccesses)
            {
                writer.WriteStartObject();
                body.ComplexType($"{EdmModelBuilder.Namespace}.{nameof(PrincipalAccess)}");
                body.PropertyType("AccessMask", AccessRightsType);
                writer.WriteString("AccessMask", OperationParameterReader.Format(access.AccessMask));
                writer.WriteStartObject("Principal");
                body.DerivedType($"{EdmModelBuilder.Namespace}.{access.Principal.LogicalName}");
                body.WriteGuid(EdmModelBuilder.PrincipalKey, access.Principal.Id);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    public static async Task RetrievePrincipalAccessAsync(WebApiContext api, EntityReference principal, EntityReference target)
    {
        var response = (RetrievePrincipalAccessResponse)await api.ExecuteAsync(new RetrievePrincipalAccessRequest { Target = target, Principal = principal });
        await OperationResponse.WriteAsync(api, $"{EdmModelBuilder.Namespace}.{SecurityOperationDeclarations.RetrievePrincipalAccess}Response", body =>
        {
            body.PropertyType(nameof(AccessRights), AccessRightsType);
            body.Writer.WriteString(nameof(AccessRights), OperationParameterReader.Format(response.AccessRights));
        });
    }

    private static PrincipalAccess ReadPrincipalAccess(OperationParameterReader reader, JsonElement body)
    {
        var value = reader.Required(body, "PrincipalAccess");
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw WebApiException.BadRequest("'PrincipalAccess' must be an object: {\"Principal\":{\"@odata.type\":\"Microsoft.Dynamics.CRM.systemuser\",\"systemuserid\":\"…\"},\"AccessMask\":\"ReadAccess\"}.");
        }

        reader.RejectUnknownProperties(value, "PrincipalAccess", $"{EdmModelBuilder.Namespace}.{nameof(PrincipalAccess)}", name => name is "Principal" or "AccessMask");
        return new PrincipalAccess
        {
            Principal = reader.Reference(reader.Required(value, "Principal"), "PrincipalAccess.Principal"),
            AccessMask = reader.Rights(reader.Required(value, "AccessMask"), "PrincipalAccess.AccessMask"),
        };
    }

    /// <summary>The enum type an AccessRights value is annotated with under odata.metadata=full.</summary>
    private const string AccessRightsType = $"#{EdmModelBuilder.Namespace}.{nameof(AccessRights)}";
}
