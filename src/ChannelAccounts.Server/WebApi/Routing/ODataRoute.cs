using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Server.WebApi.Errors;
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
        catch (ODataException e)
        {
            throw WebApiException.BadRequest(e.Message);
        }
    }

    public T? Segment<T>(int index) where T : ODataPathSegment =>
        index < Path.Count ? Path.ElementAt(index) as T : null;

    public int Count => Path.Count;
}
