using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;
using ChannelAccounts.Server.WebApi.Json;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>
/// Writes the rows of an aggregate query (FetchXML aggregate, $apply): one object per group, the aliases as properties,
/// each after its FormattedValue annotation when the client asks for annotations (as Dataverse's $apply examples show).
/// </summary>
public static class AggregateRows
{
    public static async Task WriteAsync(WebApiContext api, EntityDefinition entity, EntityCollection collection)
    {
        var http = api.Http;
        if (api.Prefer.AnyAnnotations)
        {
            PreferHeader.Applied(http.Response, $"odata.include-annotations=\"{api.Prefer.IncludeAnnotations}\"");
        }

        var formatted = api.Prefer.Includes(Annotations.FormattedValue);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = api.JsonContentType;
        http.Response.Headers["OData-Version"] = "4.0";
        await using var body = new JsonBody(http.Response);
        var writer = body.Writer;
        writer.WriteStartObject();
        if (api.WritesContext)
        {
            writer.WriteString("@odata.context", api.MetadataUri(entity.EntitySetName));
        }

        writer.WriteStartArray("value");
        foreach (var record in collection.Entities)
        {
            writer.WriteStartObject();
            foreach (var (alias, value) in record.Attributes)
            {
                if (formatted && record.FormattedValues.TryGetValue(alias, out var text))
                {
                    writer.WriteString(alias + "@" + Annotations.FormattedValue, text);
                }

                writer.WritePropertyName(alias);
                EntityJsonWriter.WriteValue(writer, value, api.Ieee754Compatible);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await body.CompleteAsync(api.Aborted);
    }
}
