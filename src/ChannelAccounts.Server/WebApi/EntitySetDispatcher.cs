using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Server.Hosting;
using ChannelAccounts.Server.WebApi.Edm;
using ChannelAccounts.Server.WebApi.Endpoints;
using ChannelAccounts.Server.WebApi.Errors;
using ChannelAccounts.Server.WebApi.Query;
using ChannelAccounts.Server.WebApi.Routing;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace ChannelAccounts.Server.WebApi;

/// <summary>
/// Everything under an entity set (set, set(id) and what follows it): queries, FetchXML and $apply on the set, creates,
/// the record's verbs, its properties, lookups, related records and references, and the actions bound to it.
/// </summary>
public sealed class EntitySetDispatcher(OrganizationEngine engine, ODataServices odata, ServerOptions options)
{
    public async Task DispatchAsync(WebApiContext api, ODataRoute route, EntityDefinition entity)
    {
        var http = api.Http;
        var method = http.Request.Method;
        TranslatedQuery Translate() => odata.Translate(entity, http.Request);

        if (route.Count == 1)
        {
            if (HttpMethods.IsGet(method) && http.Request.Query.TryGetValue("fetchXml", out var fetchXml))
            {
                if (fetchXml.Count != 1 || http.Request.Query.Keys.Any(k => k.StartsWith('$')))
                {
                    throw ODataQueryFaults.BadQuery("The fetchXml parameter must appear once and cannot be combined with $ query options.");
                }

                await FetchXmlEndpoint.GetAsync(api, entity, fetchXml.ToString());
            }
            else if (HttpMethods.IsGet(method) && http.Request.Query.ContainsKey("$apply"))
            {
                var aggregate = odata.TranslateApply(entity, http.Request.Query);
                var response = (Sdk.Messages.RetrieveMultipleResponse)await api.ExecuteAsync(new Sdk.Messages.RetrieveMultipleRequest { Query = aggregate });
                await AggregateRows.WriteAsync(api, entity, response.EntityCollection);
            }
            else if (HttpMethods.IsGet(method))
            {
                await CollectionEndpoint.GetAsync(api, entity, Translate());
            }
            else if (HttpMethods.IsPost(method))
            {
                // The query options are checked before anything is written, whether or not the answer uses them.
                await CreateEndpoint.PostAsync(api, entity, Translate(), options.MaxRequestBodyBytes);
            }
            else
            {
                throw WebApiException.MethodNotAllowed(method, $"the entity set '{entity.EntitySetName}'", "GET", "POST");
            }

            return;
        }

        if (!HttpMethods.IsGet(method))
        {
            // A write that has no use for query options still has them checked, as a POST or PATCH does: a mistyped
            // $filter on a DELETE must be a 400, not a delete that reads as if the filter had applied.
            // $id names the record a DELETE of a collection's $ref removes; it is the one option a write uses. Without
            // it the translation is the cached one a PATCH asks for again below.
            var optionsOf = route.OptionsTable(entity, engine.Catalog);
            _ = http.Request.Query.ContainsKey("$id")
                ? odata.Translate(optionsOf, new QueryCollection(http.Request.Query.Where(p => p.Key != "$id").ToDictionary()))
                : optionsOf == entity ? Translate() : odata.Translate(optionsOf, http.Request);
        }

        if (route.Count == 2 && route.Segment<CountSegment>(1) is not null)
        {
            WebApiDispatcher.RequireGet(http, "$count");
            await CollectionEndpoint.CountAsync(api, Translate());
            return;
        }

        if (route.Count == 2 && route.Segment<OperationSegment>(1) is { } collectionAction
            && BulkOperationDeclarations.IsBulkAction(collectionAction.Operations.Single().Name))
        {
            await BulkEndpoints.ActionAsync(api, entity, collectionAction.Operations.Single().Name, options.MaxRequestBodyBytes);
            return;
        }

        var id = KeyOf(route.Segment<KeySegment>(1), entity);
        if (route.Count == 3 && route.Segment<OperationSegment>(2) is { } bound
            && bound.Operations.Single().Name == SecurityOperationDeclarations.RetrievePrincipalAccess)
        {
            WebApiDispatcher.RequireFunctionGet(http);
            var target = FunctionParameters.Reference(bound.Parameters, "Target", http.Request.Query, api.Catalog, SecurityOperationDeclarations.RetrievePrincipalAccess);
            await SharingEndpoints.RetrievePrincipalAccessAsync(api, new Sdk.EntityReference(entity.LogicalName, id), target);
            return;
        }

        if (route.Count == 3 && route.Segment<OperationSegment>(2) is { } action
            && action.Operations.Single() is IEdmAction { IsBound: true } boundAction)
        {
            await PrincipalEndpoints.BoundActionAsync(api, entity, id, boundAction.Name, options.MaxRequestBodyBytes);
            return;
        }

        if (route.Count == 3 && route.Segment<NavigationPropertyLinkSegment>(2) is { } lookupLink && LookupOf(entity, lookupLink.NavigationProperty) is { } lookup)
        {
            await LookupEndpoint.ReferenceAsync(api, entity, id, lookup, options.MaxRequestBodyBytes);
            return;
        }

        if (route.Count == 3 && route.Segment<NavigationPropertySegment>(2) is { } navigation && LookupOf(entity, navigation.NavigationProperty) is { } related)
        {
            WebApiDispatcher.RequireGet(http, $"the record '{related.LogicalName}' refers to");
            await LookupEndpoint.GetRelatedAsync(api, entity, id, related, target => odata.Translate(target, http.Request));
            return;
        }

        // record/navigation, or record/navigation/$count for the number of related records.
        if ((route.Count == 3 || (route.Count == 4 && route.Segment<CountSegment>(3) is not null))
            && route.Segment<NavigationPropertySegment>(2) is { NavigationProperty: var many } && many.Type.IsCollection()
            && RelatedRecords.Of(engine.Catalog, entity, many.Name) is { } relatedRecords)
        {
            var counting = route.Count == 4;
            if (!counting && HttpMethods.IsPost(method) && NavigationPartners.OneToMany(engine.Catalog, entity, many.Name) is ({ } table, { } referencing))
            {
                throw OneToManyLinks.RefuseCreate(method, entity, id, many.Name, table, referencing);
            }

            WebApiDispatcher.RequireGet(http, counting ? "$count" : $"the related records of '{many.Name}'");
            var translated = odata.Translate(relatedRecords.Target, http.Request);
            await DemandReadableAsync(api, entity, id);
            relatedRecords.Narrow(translated.Query, id);
            await (counting ? CollectionEndpoint.CountAsync(api, translated) : CollectionEndpoint.GetAsync(api, relatedRecords.Target, translated));
            return;
        }

        if (route.Count == 3 && route.Segment<NavigationPropertyLinkSegment>(2) is { NavigationProperty: var linked } && linked.Type.IsCollection()
            && HttpMethods.IsGet(method) && RelatedRecords.Of(engine.Catalog, entity, linked.Name) is { } references)
        {
            var translated = odata.Translate(references.Target, http.Request);
            await DemandReadableAsync(api, entity, id);
            references.Narrow(translated.Query, id);
            await CollectionEndpoint.GetReferencesAsync(api, references.Target, translated);
            return;
        }

        if (route.Segment<NavigationPropertyLinkSegment>(2) is { } link && route.Count <= 4)
        {
            if (!HttpMethods.IsGet(method) && NavigationPartners.OneToMany(engine.Catalog, entity, link.NavigationProperty.Name) is ({ } linkedTable, { } linkedLookup))
            {
                throw OneToManyLinks.RefuseReference(entity, id, link.NavigationProperty.Name, linkedTable, linkedLookup);
            }

            var relatedKey = route.Count == 4 ? KeyOf(route.Segment<KeySegment>(3), entity) : (Guid?)null;
            await PrincipalEndpoints.ReferenceAsync(api, entity, id, link.NavigationProperty.Name, relatedKey, options.MaxRequestBodyBytes);
            return;
        }

        if (id == Guid.Empty && (HttpMethods.IsPatch(method) || HttpMethods.IsPut(method)))
        {
            // An upsert there would create a record under a different, new id than the URL names.
            throw WebApiException.BadRequest($"The key {Guid.Empty} is not a record id; use the id of a record or a new GUID.");
        }

        if (route.Count == 2)
        {
            switch (method)
            {
                case "GET":
                    await RecordEndpoint.GetAsync(api, entity, id, Translate());
                    return;
                case "PATCH":
                    await UpdateEndpoint.PatchAsync(api, entity, id, Translate(), options.MaxRequestBodyBytes); // options checked first, as for a create
                    return;
                case "DELETE":
                    await DeleteEndpoint.DeleteAsync(api, entity, id);
                    return;
                default:
                    throw WebApiException.MethodNotAllowed(method, "a record", "GET", "PATCH", "DELETE");
            }
        }

        if (route.Segment<PropertySegment>(2) is { } property && (route.Count == 3 || (route.Count == 4 && route.Segment<ValueSegment>(3) is not null)))
        {
            var name = property.Property.Name;
            switch (method)
            {
                case "GET":
                    await PropertyEndpoint.GetAsync(api, entity, id, name, rawValue: route.Count == 4);
                    return;
                case "PUT" when route.Count == 3:
                    await PropertyEndpoint.PutAsync(api, entity, id, name, options.MaxRequestBodyBytes);
                    return;
                case "DELETE" when route.Count == 3:
                    await PropertyEndpoint.DeleteAsync(api, entity, id, name);
                    return;
                default:
                    throw route.Count == 4
                        ? WebApiException.MethodNotAllowed(method, "a property's raw $value", "GET")
                        : WebApiException.MethodNotAllowed(method, "a property", "GET", "PUT", "DELETE");
            }
        }

        throw WebApiException.NoResource(http.Request.Path + http.Request.QueryString);
    }

    /// <summary>The lookup behind a single-valued navigation property (ownerid, createdby...), if that is what it is.</summary>
    private static AttributeDefinition? LookupOf(EntityDefinition entity, IEdmNavigationProperty navigation) =>
        !navigation.Type.IsCollection() && entity.TryGetAttribute(navigation.Name, out var attribute) && attribute.IsLookup ? attribute : null;

    private static Guid KeyOf(KeySegment? key, EntityDefinition entity)
    {
        if (key?.Keys.SingleOrDefault().Value is Guid id)
        {
            return id;
        }

        throw WebApiException.BadRequest($"The key of '{entity.EntitySetName}' must be a GUID, as in {entity.EntitySetName}(00000000-0000-0000-0000-000000000001).");
    }

    /// <summary>The record whose related records are asked for must exist and be readable by the caller (404 or 403 otherwise), as for its own GET.</summary>
    private static Task DemandReadableAsync(WebApiContext api, EntityDefinition entity, Guid id) =>
        api.ExecuteAsync(new Sdk.Messages.RetrieveRequest { Target = new Sdk.EntityReference(entity.LogicalName, id), ColumnSet = new Sdk.ColumnSet(entity.PrimaryIdAttribute) });
}
