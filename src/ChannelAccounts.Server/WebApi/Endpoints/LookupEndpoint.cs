using System.Text.Json;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Server.WebApi.Errors;
using ChannelAccounts.Server.WebApi.Json;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>
/// A lookup as the single-valued navigation property it is in the Web API: GET set(id)/nav is the record it points
/// to, GET set(id)/nav/$ref its reference, PUT set(id)/nav/$ref {"@odata.id":"…"} sets it and DELETE clears it.
/// Setting and clearing are an Update of that one lookup, so a new ownerid is an Assign with all its checks.
/// A lookup that points nowhere answers 204, as OData answers for an empty single-valued navigation property.
/// </summary>
public static class LookupEndpoint
{
    public static async Task ReferenceAsync(WebApiContext api, EntityDefinition entity, Guid id, AttributeDefinition lookup, long maxBodyBytes)
    {
        var http = api.Http;
        switch (http.Request.Method)
        {
            case "GET":
                if (await ReadAsync(api, entity, id, lookup) is not { } reference)
                {
                    http.Response.StatusCode = StatusCodes.Status204NoContent;
                    return;
                }

                http.Response.ContentType = api.JsonContentType;
                http.Response.Headers["OData-Version"] = "4.0";
                await JsonOutput.WriteAsync(http.Response, writer =>
                {
                    writer.WriteStartObject();
                    if (api.WritesContext)
                    {
                        writer.WriteString("@odata.context", api.MetadataUri("$ref"));
                    }

                    writer.WriteString("@odata.id", api.EntityUri(api.Catalog[reference.LogicalName], reference.Id));
                    writer.WriteEndObject();
                }, api.Aborted);
                return;
            case "PUT":
                RequireUpdatable(entity, lookup);
                var body = await RequestBody.ReadJsonAsync(http, entity.EntitySetName, maxBodyBytes);
                await SetAsync(api, entity, id, lookup, Target(api, entity, lookup, body));
                break;
            case "DELETE":
                RequireUpdatable(entity, lookup);
                await SetAsync(api, entity, id, lookup, null);
                break;
            default:
                throw WebApiException.MethodNotAllowed(http.Request.Method,
                    $"the reference of '{lookup.LogicalName}' (GET reads it, PUT sets it, DELETE clears it)", "GET", "PUT", "DELETE");
        }

        http.Response.StatusCode = StatusCodes.Status204NoContent;
        http.Response.Headers["OData-Version"] = "4.0";
    }

    /// <summary>GET set(id)/nav: the record the lookup points to, read with the request's query options ($select...).</summary>
    public static async Task GetRelatedAsync(WebApiContext api, EntityDefinition entity, Guid id, AttributeDefinition lookup,
        Func<EntityDefinition, TranslatedQuery> translate)
    {
        if (await ReadAsync(api, entity, id, lookup) is not { } reference)
        {
            api.Http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var related = api.Catalog[reference.LogicalName];
        await RecordEndpoint.GetAsync(api, related, reference.Id, translate(related));
    }

    private static async Task<EntityReference?> ReadAsync(WebApiContext api, EntityDefinition entity, Guid id, AttributeDefinition lookup)
    {
        var response = (RetrieveResponse)await api.ExecuteAsync(new RetrieveRequest
        {
            Target = new EntityReference(entity.LogicalName, id),
            ColumnSet = new ColumnSet(lookup.LogicalName),
        });
        return response.Entity.Attributes.TryGetValue(lookup.LogicalName, out var value) ? value as EntityReference : null;
    }

    private static Task SetAsync(WebApiContext api, EntityDefinition entity, Guid id, AttributeDefinition lookup, EntityReference? value) =>
        PropertyEndpoint.UpdateAsync(api, new Entity(entity.LogicalName, id) { [lookup.LogicalName] = value });

    /// <summary>A PATCH ignores a lookup it cannot write, as Dataverse does; a $ref names only that lookup, so it says so.</summary>
    private static void RequireUpdatable(EntityDefinition entity, AttributeDefinition lookup)
    {
        if (!lookup.IsValidForUpdate)
        {
            throw WebApiException.BadRequest(
                $"'{lookup.LogicalName}' of '{entity.EntitySetName}' is set by the platform and cannot be changed through its $ref.");
        }
    }

    private static EntityReference Target(WebApiContext api, EntityDefinition entity, AttributeDefinition lookup, JsonElement body)
    {
        var bodies = new EntityBodyReader(api.Catalog);
        var targets = bodies.TargetSets(lookup);
        var uri = EntityReferenceUri.OfRefBody(body, $"; '{lookup.LogicalName}' refers to {string.Join(" or ", targets)}.");
        return bodies.Referable(entity, lookup, EntityReferenceUri.Require(uri, api.Catalog, $"\"{targets[0]}(<id>)\""));
    }
}
