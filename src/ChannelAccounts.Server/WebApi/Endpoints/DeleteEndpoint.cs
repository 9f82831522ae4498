using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>DELETE of one record, with If-Match and If-None-Match honoured.</summary>
public static class DeleteEndpoint
{
    public static async Task DeleteAsync(WebApiContext api, EntityDefinition entity, Guid id)
    {
        var condition = Conditions.From(api.Http.Request);
        await condition.RequireNoneMatchAllowsChangeAsync(api, entity, id);
        await api.ExecuteAsync(new DeleteRequest
        {
            Target = new EntityReference(entity.LogicalName, id),
            ConcurrencyBehavior = condition.Behavior,
            RowVersion = condition.IfMatchVersion,
        });
        api.Http.Response.StatusCode = StatusCodes.Status204NoContent;
        api.Http.Response.Headers["OData-Version"] = "4.0";
    }
}
