using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Server.WebApi;
using Microsoft.OData.Edm;

namespace ChannelAccounts.Server.Hosting;

/// <summary>The EDM model built once from the catalog, and the query-option translation that uses it.</summary>
public sealed class ODataServices(MetadataCatalog catalog)
{
    public IEdmModel Model => throw new NotImplementedException("wired at merge with the EDM model builder");

    public TranslatedQuery Translate(EntityDefinition entity, IQueryCollection query) =>
        throw new NotImplementedException(catalog.Entities.Count + " wired at merge");
}
