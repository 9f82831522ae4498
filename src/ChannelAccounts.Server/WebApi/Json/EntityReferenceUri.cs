using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;

namespace ChannelAccounts.Server.WebApi.Json;

/// <summary>Parses "/systemusers(guid)", "systemusers(guid)" or an absolute "…/api/data/v9.2/systemusers(guid)".</summary>
public static class EntityReferenceUri
{
    public static bool TryParse(string uri, MetadataCatalog catalog, out EntityReference reference)
    {
        reference = Parse(uri, catalog, out _)!;
        return reference is not null;
    }

    /// <summary>The URI of a $ref body, {"@odata.id":"…"}; anything else is a 400 that shows the form, with the hint.</summary>
    public static string OfRefBody(System.Text.Json.JsonElement body, string hint)
    {
        if (body.ValueKind == System.Text.Json.JsonValueKind.Object && body.TryGetProperty("@odata.id", out var value)
            && value.ValueKind == System.Text.Json.JsonValueKind.String)
        {
            // An entity reference carries only annotations; a property beside @odata.id is a mistake, not something to drop.
            if (body.EnumerateObject().Select(p => p.Name).FirstOrDefault(name => !name.StartsWith('@')) is { } extra)
            {
                throw Errors.WebApiException.BadRequest($"A $ref body holds only \"@odata.id\"; remove '{extra}'" + hint);
            }

            return value.GetString()!;
        }

        throw Errors.WebApiException.BadRequest("A $ref body is {\"@odata.id\":\"<entityset>(<id>)\"}" + hint);
    }

    /// <summary>The record the URI names; otherwise a 400 that shows the example (such as "\"roles(&lt;id&gt;)\"").</summary>
    public static EntityReference Require(string uri, MetadataCatalog catalog, string example) =>
        TryParse(uri, catalog, out var reference)
            ? reference
            : throw Errors.WebApiException.BadRequest($"'{uri}' does not name a record; use a URI such as {example}.");

    /// <summary>The record the URI names, or null and why not, in words that tell the caller what to fix.</summary>
    public static EntityReference? Parse(string uri, MetadataCatalog catalog, out string problem)
    {
        var text = uri.Trim();
        var apiRoot = text.IndexOf("/api/data/v", StringComparison.OrdinalIgnoreCase);
        if (apiRoot >= 0)
        {
            var afterVersion = text.IndexOf('/', apiRoot + "/api/data/v".Length);
            if (afterVersion < 0)
            {
                problem = "it ends at the service root and names no entity set";
                return null;
            }

            text = text[(afterVersion + 1)..];
        }

        text = text.TrimStart('/');
        var open = text.IndexOf('(');
        if (open <= 0 || !text.EndsWith(')'))
        {
            problem = "it is not of the form <entityset>(<id>)";
            return null;
        }

        var set = text[..open];
        var key = text[(open + 1)..^1];
        if (!catalog.TryGetByEntitySetName(set, out var entity))
        {
            problem = $"'{set}' is not an entity set of this service";
            return null;
        }

        // OData lets a key name its property: set(primaryid=<guid>) is the same record as set(<guid>).
        if (!Guid.TryParse(key, out var id) && !(key.Split('=', 2) is [var property, var value]
                                                 && property.Trim() == entity.PrimaryIdAttribute && Guid.TryParse(value, out id)))
        {
            problem = !key.Contains('=', StringComparison.Ordinal) ? $"the key '{key}' is not a GUID"
                : entity.Keys.Count == 0 ? $"'{entity.LogicalName}' defines no alternate key, so '{key}' names no record"
                : $"an alternate key ('{key}') cannot name the record here";
            return null;
        }

        problem = "";
        return new EntityReference(entity.LogicalName, id);
    }
}
