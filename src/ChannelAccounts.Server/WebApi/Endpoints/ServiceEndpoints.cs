using System.Text.Json;
using System.Xml;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Server.WebApi.Errors;
using ChannelAccounts.Server.WebApi.Json;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>The service document, $metadata and WhoAmI: the parts of the service that are not a table's records.</summary>
public static class ServiceEndpoints
{
    public static async Task ServiceDocumentAsync(WebApiContext api)
    {
        var http = api.Http;
        http.Response.ContentType = api.JsonContentType;
        http.Response.Headers["OData-Version"] = "4.0";
        await using var body = new JsonBody(http.Response);
        var writer = body.Writer;
        writer.WriteStartObject();
        if (api.WritesContext)
        {
            writer.WriteString("@odata.context", api.ServiceRoot + "$metadata");
        }

        // Relative URLs resolve against the context URL; with none there is none, and ODataLib writes them absolute.
        var urlBase = api.WritesContext ? "" : api.ServiceRoot;
        writer.WriteStartArray("value");
        foreach (var set in api.Model.EntityContainer.EntitySets())
        {
            writer.WriteStartObject();
            writer.WriteString("name", set.Name);
            writer.WriteString("kind", "EntitySet");
            writer.WriteString("url", urlBase + set.Name);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await body.CompleteAsync(api.Aborted);
    }

    public static async Task MetadataAsync(WebApiContext api)
    {
        var http = api.Http;
        http.Response.ContentType = "application/xml";
        http.Response.Headers["OData-Version"] = "4.0";
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Async = false, Indent = false, Encoding = new System.Text.UTF8Encoding(false) }))
        {
            if (!CsdlWriter.TryWriteCsdl(api.Model, xml, CsdlTarget.OData, out var errors))
            {
                throw new InvalidOperationException("The EDM model could not be written as CSDL: " + string.Join("; ", errors.Select(e => e.ErrorMessage)));
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(http.Response.Body, api.Aborted);
    }

    public static async Task WhoAmIAsync(WebApiContext api)
    {
        if (!HttpMethods.IsGet(api.Http.Request.Method))
        {
            throw WebApiException.NoResource(api.Http.Request.Path + api.Http.Request.QueryString);
        }

        var response = (WhoAmIResponse)await api.ExecuteAsync(new WhoAmIRequest());
        await OperationResponse.WriteAsync(api, Edm.EdmModelBuilder.Namespace + "." + Edm.EdmModelBuilder.WhoAmIResponse, body =>
        {
            body.WriteGuid("BusinessUnitId", response.BusinessUnitId);
            body.WriteGuid("UserId", response.UserId);
            body.WriteGuid("OrganizationId", response.OrganizationId);
        });
    }
}
