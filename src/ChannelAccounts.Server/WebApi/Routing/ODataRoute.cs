using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Server.WebApi.Errors;
using ChannelAccounts.Server.WebApi.Query;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace ChannelAccounts.Server.WebApi.Routing;

/// <summary>What a resource path names, parsed by Microsoft.OData.Core's ODataUriParser against our EDM model.</summary>
public sealed record ODataRoute(ODataPath Path)
{
    public static ODataRoute Parse(IEdmModel model, Uri serviceRoot, string relativePathAndQuery)
    {
        try
        {
            var parser = new ODataUriParser(model, serviceRoot, new Uri(relativePathAndQuery, UriKind.Relative))
            {
                Resolver = new ODataUriResolver { EnableCaseInsensitive = false },
                UrlKeyDelimiter = ODataUrlKeyDelimiter.Parentheses, // Dataverse has no key-as-segment (set/<guid>)
            };
            return new ODataRoute(parser.ParsePath());
        }
        catch (ODataUnrecognizedPathException e)
        {
            throw new WebApiException(StatusCodes.Status404NotFound, ErrorCodes.ResourceNotFound, e.Message);
        }
        catch (Exception e) when (ODataQueryFaults.IsParserFailure(e))
        {
            throw WebApiException.BadRequest(ODataQueryFaults.ParserFailureMessage(e));
        }
    }

    /// <summary>
    /// The route of the commonest path, a record by id ("set(0d6b…)", lower-case hex), built without ODataUriParser,
    /// which costs more than the rest of a Retrieve; null for any other path, which Parse then handles (and words
    /// its errors) as before.
    /// </summary>
    public static ODataRoute? TryRecord(IEdmModel model, string path)
    {
        const int GuidLength = 36;
        var open = path.Length - GuidLength - 2;
        if (open <= 0 || path[open] != '(' || path[^1] != ')')
        {
            return null;
        }

        var key = path.AsSpan(open + 1, GuidLength);
        if (key.ContainsAnyExcept("0123456789abcdef-") || !Guid.TryParseExact(key, "D", out var id)
            || model.EntityContainer.FindEntitySet(path[..open]) is not { } set
            || set.EntityType.Key().SingleOrDefault() is not { } keyProperty
            || keyProperty.Type.PrimitiveKind() != EdmPrimitiveTypeKind.Guid)
        {
            return null;
        }

        return new ODataRoute(new ODataPath(new EntitySetSegment(set),
            new KeySegment([new KeyValuePair<string, object>(keyProperty.Name, id)], set.EntityType, set)));
    }

    /// <summary>
    /// The route of an entity set named alone ("msdyn_ocwhatsappchannelaccounts"), the path of every query and create,
    /// built without ODataUriParser as TryRecord is; null for any other path.
    /// </summary>
    public static ODataRoute? TrySet(IEdmModel model, string path) =>
        path.Length > 0 && path.AsSpan().IndexOfAny("()/$.%") < 0 && model.EntityContainer.FindEntitySet(path) is { } set
            ? new ODataRoute(new ODataPath(new EntitySetSegment(set)))
            : null;

    public T? Segment<T>(int index) where T : ODataPathSegment =>
        index < Path.Count ? Path.ElementAt(index) as T : null;

    public int Count => Path.Count;

    /// <summary>
    /// The table the query options apply to: after a collection's navigation property
    /// (teams(id)/team_msdyn_ocwhatsappchannelaccount?$select=…) the related one, else the entity set's.
    /// </summary>
    public Engine.Metadata.EntityDefinition OptionsTable(Engine.Metadata.EntityDefinition entity, Engine.Metadata.MetadataCatalog catalog) =>
        Count >= 3 && Segment<NavigationPropertySegment>(2) is { NavigationProperty: var navigation }
        && catalog.TryGetByLogicalName(navigation.ToEntityType().Name, out var related)
            ? related
            : entity;
}
