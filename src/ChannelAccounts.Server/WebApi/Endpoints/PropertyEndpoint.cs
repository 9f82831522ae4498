using System.Text.Json;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Server.WebApi.Errors;
using ChannelAccounts.Server.WebApi.Json;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>One property of one record: GET its value, PUT a new one ({"value": …}), DELETE to clear it.</summary>
public static class PropertyEndpoint
{
    public static async Task GetAsync(WebApiContext api, EntityDefinition entity, Guid id, string propertyName, bool rawValue)
    {
        var attribute = Attribute(entity, propertyName, allowComputed: true);
        var response = (RetrieveResponse)await api.ExecuteAsync(new RetrieveRequest
        {
            Target = new EntityReference(entity.LogicalName, id),
            ColumnSet = new ColumnSet(attribute.LogicalName),
        });
        response.Entity.Attributes.TryGetValue(attribute.LogicalName, out var value);
        var http = api.Http;
        http.Response.Headers["OData-Version"] = "4.0";
        if (rawValue)
        {
            if (value is null)
            {
                http.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }

            http.Response.ContentType = "text/plain";
            await http.Response.WriteAsync(RawText(value), api.Aborted);
            return;
        }

        http.Response.ContentType = api.JsonContentType;
        await using var body = new JsonBody(http.Response);
        var writer = body.Writer;
        writer.WriteStartObject();
        if (api.WritesContext)
        {
            writer.WriteString("@odata.context", api.MetadataUri($"{entity.EntitySetName}({id})/{propertyName}"));
        }

        if (api.Metadata == MetadataLevel.Full && value is not null && FullMetadata.TypeOf(attribute) is { } type)
        {
            writer.WriteString("@odata.type", type); // a lone value's own type, as ODataLib writes it: "@odata.type":"#Guid"
        }

        writer.WritePropertyName("value");
        EntityJsonWriter.WriteValue(writer, value, api.Ieee754Compatible);
        writer.WriteEndObject();
        await body.CompleteAsync(api.Aborted);
    }

    public static async Task PutAsync(WebApiContext api, EntityDefinition entity, Guid id, string propertyName, long maxBodyBytes)
    {
        var attribute = Attribute(entity, propertyName, allowComputed: false);
        var body = await RequestBody.ReadJsonAsync(api.Http, entity.EntitySetName, maxBodyBytes);
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("value", out var value))
        {
            throw WebApiException.Payload(entity.EntitySetName, "A PUT to a property takes a body of the form {\"value\": <new value>}.");
        }

        if (body.EnumerateObject().Select(p => p.Name).FirstOrDefault(name => name != "value" && !name.StartsWith('@')) is { } extra)
        {
            throw WebApiException.Payload(entity.EntitySetName,
                $"A PUT to a property takes a body of the form {{\"value\": <new value>}} and nothing else; remove '{extra}' (to change several properties, PATCH the record).");
        }

        await UpdateOneAsync(api, entity, id, attribute, new EntityBodyReader(api.Catalog).ReadValue(entity, attribute, value));
    }

    public static Task DeleteAsync(WebApiContext api, EntityDefinition entity, Guid id, string propertyName) =>
        UpdateOneAsync(api, entity, id, Attribute(entity, propertyName, allowComputed: false), null);

    private static async Task UpdateOneAsync(WebApiContext api, EntityDefinition entity, Guid id, AttributeDefinition attribute, object? value)
    {
        await UpdateAsync(api, new Entity(entity.LogicalName, id) { [attribute.LogicalName] = value });
        api.Http.Response.StatusCode = StatusCodes.Status204NoContent;
        api.Http.Response.Headers["OData-Version"] = "4.0";
    }

    /// <summary>An Update of an existing record under the request's If-Match / If-None-Match (a single property or lookup reference).</summary>
    public static async Task UpdateAsync(WebApiContext api, Entity target)
    {
        var condition = Conditions.From(api.Http.Request);
        await condition.RequireNoneMatchAllowsChangeAsync(api, api.Catalog[target.LogicalName], target.Id);
        target.RowVersion = condition.IfMatchVersion;
        await api.ExecuteAsync(new UpdateRequest { Target = target, ConcurrencyBehavior = condition.Behavior });
    }

    private static AttributeDefinition Attribute(EntityDefinition entity, string propertyName, bool allowComputed)
    {
        var logicalName = propertyName.StartsWith('_') && propertyName.EndsWith("_value", StringComparison.Ordinal) ? propertyName[1..^6] : propertyName;
        if (entity.TryGetAttribute(logicalName, out var attribute) && (allowComputed || !attribute.IsLookup))
        {
            if (!allowComputed && (!attribute.IsValidForUpdate || attribute.LogicalName == entity.PrimaryIdAttribute))
            {
                throw WebApiException.BadRequest($"The property '{propertyName}' is read-only; it cannot be set or cleared.");
            }

            return attribute;
        }

        throw WebApiException.BadRequest(allowComputed
            ? $"The property '{propertyName}' of a {entity.LogicalName} cannot be read on its own; read {entity.PrimaryIdAttribute} or select the columns you need on the record."
            : $"The property '{propertyName}' cannot be written on its own; a lookup is set with PATCH and '{logicalName}@odata.bind'.");
    }

    private static string RawText(object value) => value switch
    {
        DateTime d => d.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        OptionSetValue o => o.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        EntityReference r => r.Id.ToString(),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
