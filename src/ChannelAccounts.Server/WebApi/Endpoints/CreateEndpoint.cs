using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Server.WebApi.Json;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>POST to an entity set: Create; 204 with OData-EntityId, or 201 with the record under return=representation.</summary>
public static class CreateEndpoint
{
    /// <summary>The query options were translated (and so checked) before the body is read: nothing is written with bad ones.</summary>
    public static async Task PostAsync(WebApiContext api, EntityDefinition entity, TranslatedQuery translated, long maxBodyBytes)
    {
        RefuseCollectionExpands(translated, "create");
        var body = await RequestBody.ReadJsonAsync(api.Http, entity.EntitySetName, maxBodyBytes);
        var target = new EntityBodyReader(api.Catalog).Read(entity, body);
        var response = (CreateResponse)await api.ExecuteAsync(new CreateRequest { Target = target });
        await RespondAsync(api, entity, response.id, api.Prefer.ReturnRepresentation ? translated : null, StatusCodes.Status201Created, keepExpand: true);
    }

    /// <summary>
    /// A write's representation does not $expand collection-valued navigation properties: their records would be read
    /// after the commit, where a mistake in their options could only be a 400 behind a write. Refused before writing.
    /// </summary>
    public static void RefuseCollectionExpands(TranslatedQuery translated, string write)
    {
        if (translated.CollectionExpands.Count > 0)
        {
            throw Errors.WebApiException.BadRequest(
                $"A {write} cannot $expand the collection-valued navigation property '{translated.CollectionExpands[0].NavigationProperty}'; " +
                $"read the related records with a GET after the {write}.");
        }
    }

    /// <summary>The answer to a write: the record itself when asked for, else 204 with its URI.</summary>
    public static async Task RespondAsync(WebApiContext api, EntityDefinition entity, Guid id, TranslatedQuery? translated, int statusWithBody,
        bool keepExpand)
    {
        var http = api.Http;
        if (translated is not null)
        {
            http.Response.Headers.Append("Preference-Applied", "return=representation");
            // Dataverse honours $expand in a create's representation and ignores it in an update's.
            translated = keepExpand ? translated : translated with { Expands = [], Query = WithoutLinks(translated) };
            var record = await RecordEndpoint.RetrieveAsync(api, entity, id, translated);
            http.Response.Headers.ETag = EntityJsonWriter.ETag(record.RowVersion ?? "0");
            await RecordEndpoint.WriteAsync(api, entity, record, translated, statusWithBody);
            return;
        }

        http.Response.StatusCode = StatusCodes.Status204NoContent;
        http.Response.Headers["OData-Version"] = "4.0";
        http.Response.Headers["OData-EntityId"] = api.EntityUri(entity, id);
    }

    private static Sdk.Query.QueryExpression WithoutLinks(TranslatedQuery translated)
    {
        translated.Query.LinkEntities.Clear();
        return translated.Query;
    }
}
