using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;
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
        var representation = RepresentationOf(api, translated, keepExpand: true);
        var (id, record) = await WriteThenReadAsync(api, entity, representation,
            async () => ((CreateResponse)await api.ExecuteAsync(new CreateRequest { Target = target })).id, id => id);
        await RespondAsync(api, entity, id, record, representation, StatusCodes.Status201Created);
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

    /// <summary>
    /// The query a write's representation is read with, or null when return=representation was not asked for. An
    /// Accept that admits no JSON body is refused here, before the write, rather than after it.
    /// </summary>
    public static TranslatedQuery? RepresentationOf(WebApiContext api, TranslatedQuery translated, bool keepExpand)
    {
        if (!api.Prefer.ReturnRepresentation)
        {
            return null;
        }

        _ = api.Metadata;
        // Dataverse honours $expand in a create's representation and ignores it in an update's.
        return keepExpand ? translated
            : translated with
            {
                Expands = [],
                Query = WithoutLinks(translated),
                // The context names only what the body holds: the $select, not the $expand it ignored.
                Projection = translated.SelectedProperties.Count == 0 ? null : string.Join(',', translated.SelectedProperties),
            };
    }

    /// <summary>
    /// Runs the write and, when a representation is asked for, reads the record back in the write's own transaction:
    /// read after the commit, it could be another request's write to the same record (its values and ETag), or a 404
    /// when the record was deleted in between, though this write succeeded.
    /// </summary>
    public static async Task<(T Result, Entity? Record)> WriteThenReadAsync<T>(WebApiContext api, EntityDefinition entity,
        TranslatedQuery? representation, Func<Task<T>> write, Func<T, Guid> idOf)
    {
        if (representation is null)
        {
            return (await write(), null);
        }

        return await api.InOneTransactionAsync(async () =>
        {
            var result = await write();
            return (result, await RecordEndpoint.RetrieveAsync(api, entity, idOf(result), representation));
        });
    }

    /// <summary>The answer to a write: the record as it wrote it when asked for, else 204 with its URI.</summary>
    public static async Task RespondAsync(WebApiContext api, EntityDefinition entity, Guid id, Entity? record, TranslatedQuery? representation,
        int statusWithBody)
    {
        var http = api.Http;
        if (record is not null && representation is not null)
        {
            http.Items[Batch.WrittenRecord.ItemKey] = api.EntityUri(entity, id); // for a later "$n" of its change set
            PreferHeader.Applied(http.Response, "return=representation");
            http.Response.Headers.ETag = EntityJsonWriter.ETag(record.RowVersion ?? "0");
            await RecordEndpoint.WriteAsync(api, entity, record, representation, statusWithBody);
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
