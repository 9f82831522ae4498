using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;

namespace ChannelAccounts.Server.WebApi.Json;

/// <summary>Parses "/systemusers(guid)", "systemusers(guid)" or an absolute "…/api/data/v9.2/systemusers(guid)".</summary>
public static class EntityReferenceUri
{
    public static bool TryParse(string uri, MetadataCatalog catalog, out EntityReference reference)
    {
        reference = null!;
        var text = uri.Trim();
        var apiRoot = text.IndexOf("/api/data/v", StringComparison.OrdinalIgnoreCase);
        if (apiRoot >= 0)
        {
            var afterVersion = text.IndexOf('/', apiRoot + "/api/data/v".Length);
            if (afterVersion < 0)
            {
                return false;
            }

            text = text[(afterVersion + 1)..];
        }

        text = text.TrimStart('/');
        var open = text.IndexOf('(');
        if (open <= 0 || !text.EndsWith(')'))
        {
            return false;
        }

        var key = text[(open + 1)..^1];
        if (!catalog.TryGetByEntitySetName(text[..open], out var entity) || !Guid.TryParse(key, out var id))
        {
            return false;
        }

        reference = new EntityReference(entity.LogicalName, id);
        return true;
    }
}
