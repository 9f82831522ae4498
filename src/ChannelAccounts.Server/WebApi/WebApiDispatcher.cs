using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Server.Auth;
using ChannelAccounts.Server.Hosting;
using ChannelAccounts.Server.WebApi.Batch;
using ChannelAccounts.Server.WebApi.Edm;
using ChannelAccounts.Server.WebApi.Endpoints;
using ChannelAccounts.Server.WebApi.Errors;
using ChannelAccounts.Server.WebApi.Json;
using ChannelAccounts.Server.WebApi.Metadata;
using ChannelAccounts.Server.WebApi.Query;
using ChannelAccounts.Server.WebApi.Routing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace ChannelAccounts.Server.WebApi;

/// <summary>
/// The single entry of /api/data/v9.x/…: authenticates the caller, parses the resource path with ODataUriParser,
/// picks the endpoint by segment kind and HTTP method, and turns every fault into Dataverse's error body.
/// </summary>
public sealed class WebApiDispatcher(OrganizationEngine engine, ODataServices odata, ServerOptions options, RequestAuthenticator authenticator)
{
    public async Task HandleAsync(HttpContext http)
    {
        try
        {
            if (RequestTargetLength(http) is var length && length > ServerApp.MaxUrlLength)
            {
                throw WebApiException.UrlTooLong(length, ServerApp.MaxUrlLength);
            }

            if (await authenticator.AuthenticateAsync(http) is not { } caller)
            {
                return; // answered 401
            }

            if (!ServerApp.SupportedVersions.Contains(http.GetRouteValue("version") as string))
            {
                throw WebApiException.NoResource(http.Request.Path);
            }

            await DispatchAsync(http, caller);
        }
        catch (Exception fault) when (fault is OrganizationServiceFaultException or WebApiException)
        {
            await WriteFaultAsync(http, fault);
        }
    }

    /// <summary>The URL's length as sent (path and query, before decoding).</summary>
    private static int RequestTargetLength(HttpContext http) =>
        http.Features.Get<IHttpRequestFeature>()?.RawTarget is { } raw
            ? raw.Length
            : (http.Request.PathBase + http.Request.Path).Value!.Length + (http.Request.QueryString.Value?.Length ?? 0);

    /// <summary>One request of a $batch, for the caller the $batch authenticated (before impersonation).</summary>
    private async Task HandleInnerAsync(HttpContext inner, CallerIdentity authenticated)
    {
        try
        {
            await DispatchAsync(inner, authenticated);
        }
        catch (Exception fault) when (fault is OrganizationServiceFaultException or WebApiException)
        {
            await WriteFaultAsync(inner, fault);
        }
    }

    private static Task WriteFaultAsync(HttpContext http, Exception fault) => fault is WebApiException error
        ? ErrorWriter.WriteAsync(http, error)
        : ErrorWriter.WriteAsync(http, (OrganizationServiceFaultException)fault);

    private async Task DispatchAsync(HttpContext http, CallerIdentity authenticated)
    {
        // HTTP methods are matched without regard to case everywhere below ("get" is GET), as .NET's HttpMethod does.
        http.Request.Method = HttpMethods.GetCanonicalizedValue(http.Request.Method);
        var caller = await Impersonation.ApplyAsync(http.Request, authenticated, engine.Store, http.RequestAborted);
        if (!http.Request.Host.HasValue)
        {
            throw WebApiException.BadRequest("The request has no Host header; HTTP/1.1 requires one.");
        }

        var version = (string)http.GetRouteValue("version")!;
        var serviceRoot = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/api/data/v{version}/";
        var api = new WebApiContext
        {
            Http = http,
            Engine = engine,
            Model = odata.Model,
            Caller = caller,
            Prefer = PreferHeader.Parse(http.Request.Headers["Prefer"]),
            ServiceRoot = serviceRoot,
        };

        var path = (http.GetRouteValue("path") as string ?? "").TrimEnd('/');
        if (path.StartsWith('/'))
        {
            // "v9.2//set": an empty first segment. ODataUriParser read it as a path from the host's root and quoted a URI
            // the client never sent.
            throw WebApiException.BadRequest($"The path '{http.Request.Path}' has an empty segment ('//'); " +
                $"name the resource right after the service root, as in {http.Request.PathBase}/api/data/v{version}/{path.TrimStart('/')}.");
        }

        switch (path)
        {
            case "":
                RequireGet(http, "the service document");
                await ServiceEndpoints.ServiceDocumentAsync(api);
                return;
            case "$metadata":
                RequireGet(http, "$metadata");
                await ServiceEndpoints.MetadataAsync(api);
                return;
            case "$batch":
                if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = options.MaxBatchBodyBytes;
                }

                await BatchEndpoint.PostAsync(api, new BatchExecutor(engine, inner => HandleInnerAsync(inner, authenticated)), options.MaxBatchBodyBytes);
                return;
        }

        if (MetadataPath.Matches(path))
        {
            await EntityDefinitionsEndpoint.HandleAsync(api, path);
            return;
        }

        if (RelationshipDefinitionsEndpoint.Matches(path))
        {
            await RelationshipDefinitionsEndpoint.HandleAsync(api, path);
            return;
        }

        if (GlobalOptionSetDefinitionsEndpoint.Matches(path))
        {
            await GlobalOptionSetDefinitionsEndpoint.HandleAsync(api, path);
            return;
        }

        var route = ODataRoute.TryRecord(odata.Model, path) ?? ODataRoute.TrySet(odata.Model, path)
            ?? ODataRoute.Parse(odata.Model, new Uri(serviceRoot), EncodedPath.Of(http, version) ?? path);
        switch (route.Segment<ODataPathSegment>(0))
        {
            case EntitySetSegment set when path.Split('/')[0] == set.EntitySet.Name + "()":
                // ODataUriParser reads "set()" as the set itself; Dataverse wants a key between the parentheses.
                throw WebApiException.BadRequest(
                    $"The key of '{set.EntitySet.Name}' is empty; name a record as in {set.EntitySet.Name}(00000000-0000-0000-0000-000000000001).");
            case OperationImportSegment { OperationImports: var imports } when imports.Single().Name == "WhoAmI" && route.Count == 1:
                await ServiceEndpoints.WhoAmIAsync(api);
                return;
            case OperationImportSegment { OperationImports: var imports } operation when route.Count == 1:
                await DispatchOperationAsync(api, imports.Single().Name, operation);
                return;
            case EntitySetSegment set when engine.Catalog.TryGetByEntitySetName(set.EntitySet.Name, out var entity):
                await DispatchEntitySetAsync(api, route, entity);
                return;
            default:
                throw WebApiException.NoResource(http.Request.Path + http.Request.QueryString);
        }
    }

    private async Task DispatchEntitySetAsync(WebApiContext api, ODataRoute route, EntityDefinition entity)
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
            RequireGet(http, "$count");
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
            RequireFunctionGet(http);
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
            RequireGet(http, $"the record '{related.LogicalName}' refers to");
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

            RequireGet(http, counting ? "$count" : $"the related records of '{many.Name}'");
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

    private async Task DispatchOperationAsync(WebApiContext api, string name, OperationImportSegment operation)
    {
        switch (name)
        {
            case SecurityOperationDeclarations.GrantAccess or SecurityOperationDeclarations.ModifyAccess or SecurityOperationDeclarations.RevokeAccess:
                await SharingEndpoints.ActionAsync(api, name, options.MaxRequestBodyBytes);
                return;
            case SecurityOperationDeclarations.RetrieveSharedPrincipalsAndAccess:
                RequireFunctionGet(api.Http);
                var target = FunctionParameters.Reference(operation.Parameters, "Target", api.Http.Request.Query, api.Catalog, name);
                await SharingEndpoints.RetrieveSharedPrincipalsAndAccessAsync(api, target);
                return;
            case OrganizationOperationDeclarations.RetrieveVersion:
                RequireFunctionGet(api.Http);
                await OrganizationEndpoints.RetrieveVersionAsync(api);
                return;
            case OrganizationOperationDeclarations.RetrieveCurrentOrganization:
                RequireFunctionGet(api.Http);
                await OrganizationEndpoints.RetrieveCurrentOrganizationAsync(api, operation);
                return;
            case BulkOperationDeclarations.IsValidStateTransition:
                await BulkEndpoints.IsValidStateTransitionAsync(api, operation);
                return;
            case BulkDeleteDeclarations.BulkDelete:
                await BulkDeleteEndpoint.PostAsync(api, options.MaxRequestBodyBytes);
                return;
            default:
                throw DataverseFault.UnsupportedRequest(name);
        }
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

    /// <summary>A function answers GET only; Dataverse finds no resource for any other verb.</summary>
    private static void RequireFunctionGet(HttpContext http)
    {
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            throw WebApiException.NoResource(http.Request.Path + http.Request.QueryString);
        }
    }

    private static void RequireGet(HttpContext http, string what)
    {
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            throw WebApiException.MethodNotAllowed(http.Request.Method, what, "GET");
        }
    }

    /// <summary>The record whose related records are asked for must exist and be readable by the caller (404 or 403 otherwise), as for its own GET.</summary>
    private static Task DemandReadableAsync(WebApiContext api, EntityDefinition entity, Guid id) =>
        api.ExecuteAsync(new Sdk.Messages.RetrieveRequest { Target = new Sdk.EntityReference(entity.LogicalName, id), ColumnSet = new Sdk.ColumnSet(entity.PrimaryIdAttribute) });
}
