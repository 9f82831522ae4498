using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Organization;
using ChannelAccounts.Server.WebApi.Edm;
using ChannelAccounts.Server.WebApi.Json;
using ChannelAccounts.Server.WebApi.Routing;
using Microsoft.OData.UriParser;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>GET RetrieveVersion() and GET RetrieveCurrentOrganization(AccessType=…), in Dataverse's response shapes.</summary>
public static class OrganizationEndpoints
{
    public static async Task RetrieveVersionAsync(WebApiContext api)
    {
        var response = (RetrieveVersionResponse)await api.ExecuteAsync(new RetrieveVersionRequest());
        await WriteAsync(api, OrganizationOperationDeclarations.RetrieveVersion, body => body.Writer.WriteString("Version", response.Version));
    }

    public static async Task RetrieveCurrentOrganizationAsync(WebApiContext api, OperationImportSegment operation)
    {
        var accessType = FunctionParameters.Enum<EndpointAccessType>(operation.Parameters, "AccessType", api.Http.Request.Query,
            OrganizationOperationDeclarations.RetrieveCurrentOrganization);
        var response = (RetrieveCurrentOrganizationResponse)await api.ExecuteAsync(new RetrieveCurrentOrganizationRequest { AccessType = accessType });
        var detail = response.Detail;
        await WriteAsync(api, OrganizationOperationDeclarations.RetrieveCurrentOrganization, body =>
        {
            var writer = body.Writer;
            writer.WriteStartObject("Detail");
            body.ComplexType(EdmModelBuilder.Namespace + "." + nameof(OrganizationDetail));
            body.WriteGuid(nameof(detail.OrganizationId), detail.OrganizationId);
            writer.WriteString(nameof(detail.FriendlyName), detail.FriendlyName);
            writer.WriteString(nameof(detail.OrganizationVersion), detail.OrganizationVersion);
            writer.WriteString(nameof(detail.UrlName), detail.UrlName);
            writer.WriteString(nameof(detail.UniqueName), detail.UniqueName);
            writer.WriteStartObject(nameof(detail.Endpoints));
            body.ComplexType(EdmModelBuilder.Namespace + ".EndpointCollection");
            writer.WriteNumber("Count", detail.Endpoints.Count);
            writer.WriteBoolean("IsReadOnly", false);
            body.PropertyType("Keys", $"#Collection({EdmModelBuilder.Namespace}.{nameof(EndpointType)})");
            writer.WriteStartArray("Keys");
            foreach (var key in detail.Endpoints.Keys)
            {
                writer.WriteStringValue(key.ToString());
            }

            writer.WriteEndArray();
            body.PropertyType("Values", "#Collection(String)");
            writer.WriteStartArray("Values");
            foreach (var value in detail.Endpoints.Values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            body.PropertyType(nameof(detail.State), $"#{EdmModelBuilder.Namespace}.{nameof(OrganizationState)}");
            writer.WriteString(nameof(detail.State), detail.State.ToString());
            writer.WriteEndObject();
        });
    }

    private static Task WriteAsync(WebApiContext api, string operation, Action<OperationResponse> writeResults) =>
        OperationResponse.WriteAsync(api, $"{EdmModelBuilder.Namespace}.{operation}Response", writeResults);
}
