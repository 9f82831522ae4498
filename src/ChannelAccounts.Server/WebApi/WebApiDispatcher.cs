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
using ChannelAccounts.Server.WebApi.Routing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.OData.UriParser;

namespace ChannelAccounts.Server.WebApi;

/// <summary>
/// The single entry of /api/data/v9.x/…: authenticates the caller, parses the resource path with ODataUriParser,
/// picks the endpoint by segment kind and HTTP method, and turns every fault into Dataverse's error body.
/// </summary>
public sealed class WebApiDispatcher(OrganizationEngine engine, ODataServices odata, ServerOptions options, RequestAuthenticator authenticator)
{
    private readonly EntitySetDispatcher _entitySets = new(engine, odata, options);

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
                await _entitySets.DispatchAsync(api, route, entity);
                return;
            default:
                throw WebApiException.NoResource(http.Request.Path + http.Request.QueryString);
        }
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

    /// <summary>A function answers GET only; Dataverse finds no resource for any other verb.</summary>
    internal static void RequireFunctionGet(HttpContext http)
    {
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            throw WebApiException.NoResource(http.Request.Path + http.Request.QueryString);
        }
    }

    internal static void RequireGet(HttpContext http, string what)
    {
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            throw WebApiException.MethodNotAllowed(http.Request.Method, what, "GET");
        }
    }
}
