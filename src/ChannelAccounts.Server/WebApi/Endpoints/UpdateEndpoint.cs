using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Server.WebApi.Errors;
using ChannelAccounts.Server.WebApi.Json;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>
/// PATCH of one record. No condition: Upsert. If-Match: * forbids create (Update); If-Match: W/"n" also checks the
/// version (412 when stale); If-None-Match: * forbids update (Create, 412 when it exists). With return=representation
/// the answer is 201 when the PATCH created the record, as OData answers an upsert that inserts, and 200 otherwise.
/// </summary>
public static class UpdateEndpoint
{
    /// <summary>As a create, the query options were translated (and so checked) before the body is read.</summary>
    public static async Task PatchAsync(WebApiContext api, EntityDefinition entity, Guid id, TranslatedQuery translated, long maxBodyBytes)
    {
        CreateEndpoint.RefuseCollectionExpands(translated, "PATCH");
        var body = await RequestBody.ReadJsonAsync(api.Http, entity.EntitySetName, maxBodyBytes);
        var target = new EntityBodyReader(api.Catalog).Read(entity, body);
        if (target.Attributes.TryGetValue(entity.PrimaryIdAttribute, out var bodyId) && bodyId is Guid other && other != id && other != Guid.Empty)
        {
            throw WebApiException.IdMismatch(entity.PrimaryIdAttribute, other, "the URL", id);
        }

        target.Id = id;
        target.Attributes.Remove(entity.PrimaryIdAttribute);
        var representation = CreateEndpoint.RepresentationOf(api, translated, keepExpand: false);
        var (created, record) = await CreateEndpoint.WriteThenReadAsync(api, entity, representation, () => ApplyAsync(api, entity, target), _ => id);
        await CreateEndpoint.RespondAsync(api, entity, id, record, representation, created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    /// <summary>Runs the message the conditional headers call for; true when it created the record.</summary>
    public static async Task<bool> ApplyAsync(WebApiContext api, EntityDefinition entity, Entity target)
    {
        var condition = Conditions.From(api.Http.Request);
        if (condition.IfNoneMatchAny)
        {
            await api.ExecuteAsync(new CreateRequest { Target = target });
            return true;
        }
        else if (condition.IfMatchAny || condition.IfMatchVersion is not null)
        {
            target.RowVersion = condition.IfMatchVersion;
            await api.ExecuteAsync(new UpdateRequest { Target = target, ConcurrencyBehavior = condition.Behavior });
            return false;
        }

        var upserted = (UpsertResponse)await api.ExecuteAsync(new UpsertRequest { Target = target });
        return upserted.RecordCreated;
    }
}
