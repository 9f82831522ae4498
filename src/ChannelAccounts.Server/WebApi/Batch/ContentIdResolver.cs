using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChannelAccounts.Server.WebApi.Batch;

/// <summary>
/// Content-ID references within one change set: "$n" at the start of a request URL ("$1", "$1/msdyn_name") and as the
/// value of an "@odata.bind" or "@odata.id" property in a JSON body stands for the entity URI (OData-EntityId) of the
/// record the request with Content-ID n created (also when it answered 201 with the record, which has no OData-EntityId). Only earlier requests of the same change set can be named.
/// </summary>
public sealed partial class ContentIdResolver
{
    private readonly Dictionary<string, string> _entityUris = new(StringComparer.Ordinal);

    /// <summary>Refuses a batch that names a Content-ID not defined earlier in the same change set, or defines one twice there.</summary>
    public static void Validate(IReadOnlyList<BatchItem> items)
    {
        foreach (var item in items)
        {
            var known = new HashSet<string>(StringComparer.Ordinal);
            var operations = item switch
            {
                SingleRequestItem single => [single.Operation],
                ChangeSetItem changeSet => changeSet.Operations,
                _ => [],
            };
            foreach (var operation in operations)
            {
                foreach (var reference in References(operation))
                {
                    if (!known.Contains(reference))
                    {
                        throw BatchErrors.UnknownContentId("$" + reference);
                    }
                }

                if (operation.ContentId is { } id && !known.Add(id))
                {
                    throw BatchErrors.DuplicateContentId(id);
                }
            }
        }
    }

    /// <summary>Remembers the entity URI a request answered with, under its Content-ID.</summary>
    public void Record(string? contentId, BatchOperationResult result)
    {
        if (contentId is not null && result.EntityUri is { } uri && !result.Failed)
        {
            _entityUris[contentId] = uri;
        }
    }

    public string ResolveUrl(string url) =>
        Reference().Match(url) is { Success: true } match ? Lookup(match.Groups[1].Value) + url[match.Length..] : url;

    public byte[] ResolveBody(byte[] body) => Rewrite(body, Lookup) ?? body;

    private string Lookup(string id) =>
        _entityUris.TryGetValue(id, out var uri) ? uri : throw BatchErrors.UnknownContentId("$" + id);

    private static IEnumerable<string> References(BatchOperation operation)
    {
        var found = new List<string>();
        if (Reference().Match(operation.Url) is { Success: true } match)
        {
            found.Add(match.Groups[1].Value);
        }

        Rewrite(operation.Body, id =>
        {
            found.Add(id);
            return "$" + id;
        });
        return found;
    }

    /// <summary>The body with every reference replaced, or null when it has none (or is not JSON: the endpoint will say so).</summary>
    private static byte[]? Rewrite(byte[] body, Func<string, string> map)
    {
        if (body.Length == 0 || body.AsSpan().IndexOf("\"$"u8) < 0)
        {
            return null;
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }

        return root is not null && Visit(root, map) ? Encoding.UTF8.GetBytes(root.ToJsonString()) : null;
    }

    private static bool Visit(JsonNode node, Func<string, string> map)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if ((name.EndsWith("@odata.bind", StringComparison.Ordinal) || name == "@odata.id")
                        && value is JsonValue text && text.TryGetValue<string>(out var uri)
                        && Reference().Match(uri) is { Success: true } match)
                    {
                        obj[name] = map(match.Groups[1].Value) + uri[match.Length..];
                        changed = true;
                    }
                    else if (value is not null)
                    {
                        changed |= Visit(value, map);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array.Where(i => i is not null))
                {
                    changed |= Visit(item!, map);
                }

                break;
        }

        return changed;
    }

    [GeneratedRegex(@"^\$(\d+)(?=$|[/?])")]
    private static partial Regex Reference();
}
