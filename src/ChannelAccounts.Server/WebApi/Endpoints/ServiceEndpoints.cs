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
        http.Response.ContentType = "application/json; odata.metadata=minimal";
        http.Response.Headers["OData-Version"] = "4.0";
        await using var writer = JsonOutput.Writer(http.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", api.ServiceRoot + "$metadata");
        writer.WriteStartArray("value");
        foreach (var set in api.Model.EntityContainer.EntitySets())
        {
            writer.WriteStartObject();
            writer.WriteString("name", set.Name);
            writer.WriteString("kind", "EntitySet");
            writer.WriteString("url", set.Name);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(api.Aborted);
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
        var http = api.Http;
        http.Response.ContentType = "application/json; odata.metadata=minimal";
        http.Response.Headers["OData-Version"] = "4.0";
        await JsonOutput.WriteAsync(http.Response, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", api.ServiceRoot + "$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse");
            writer.WriteString("BusinessUnitId", response.BusinessUnitId);
            writer.WriteString("UserId", response.UserId);
            writer.WriteString("OrganizationId", response.OrganizationId);
            writer.WriteEndObject();
        }, api.Aborted);
    }
}
