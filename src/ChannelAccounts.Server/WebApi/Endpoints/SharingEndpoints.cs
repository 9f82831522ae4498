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
        await WriteAsync(api, "Microsoft.Dynamics.CRM.RetrieveSharedPrincipalsAndAccessResponse", writer =>
        {
            writer.WriteStartArray("PrincipalAccesses");
            foreach (var access in response.PrincipalAccesses)
            {
                writer.WriteStartObject();
                writer.WriteString("AccessMask", OperationParameterReader.Format(access.AccessMask));
                writer.WriteStartObject("Principal");
                writer.WriteString("@odata.type", "#Microsoft.Dynamics.CRM." + access.Principal.LogicalName);
                writer.WriteString("ownerid", access.Principal.Id);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    public static async Task RetrievePrincipalAccessAsync(WebApiContext api, EntityReference principal, EntityReference target)
    {
        var response = (RetrievePrincipalAccessResponse)await api.ExecuteAsync(new RetrievePrincipalAccessRequest { Target = target, Principal = principal });
        await WriteAsync(api, "Microsoft.Dynamics.CRM.RetrievePrincipalAccessResponse",
            writer => writer.WriteString("AccessRights", OperationParameterReader.Format(response.AccessRights)));
    }

    private static PrincipalAccess ReadPrincipalAccess(OperationParameterReader reader, JsonElement body)
    {
        var value = reader.Required(body, "PrincipalAccess");
        return new PrincipalAccess
        {
            Principal = reader.Reference(reader.Required(value, "Principal"), "PrincipalAccess.Principal"),
            AccessMask = reader.Rights(reader.Required(value, "AccessMask"), "PrincipalAccess.AccessMask"),
        };
    }

    private static async Task WriteAsync(WebApiContext api, string contextType, Action<Utf8JsonWriter> properties)
    {
        var http = api.Http;
        http.Response.ContentType = "application/json; odata.metadata=minimal";
        http.Response.Headers["OData-Version"] = "4.0";
        await using var writer = JsonOutput.Writer(http.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", api.ServiceRoot + "$metadata#" + contextType);
        properties(writer);
        writer.WriteEndObject();
        await writer.FlushAsync(api.Aborted);
    }
}
