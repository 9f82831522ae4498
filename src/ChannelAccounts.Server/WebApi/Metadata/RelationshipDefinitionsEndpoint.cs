using System.Text.RegularExpressions;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Server.WebApi.Errors;

namespace ChannelAccounts.Server.WebApi.Metadata;

/// <summary>
/// GET RelationshipDefinitions: every relationship, optionally cast to one type
/// (/Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata), or one by SchemaName='name' or MetadataId; and a table's
/// OneToManyRelationships, ManyToOneRelationships and ManyToManyRelationships under EntityDefinitions. Read by any
/// authenticated caller, as in Dataverse.
/// </summary>
public static partial class RelationshipDefinitionsEndpoint
{
    public const string Segment = "RelationshipDefinitions";

    public static bool Matches(string path) => MetadataResponse.IsUnder(path, Segment);

    public static async Task HandleAsync(WebApiContext api, string path)
    {
        var http = api.Http;
        var requestUri = http.Request.Path + http.Request.QueryString;
        var match = PathPattern().Match(path);
        if (!match.Success)
        {
            throw WebApiException.NoResource(requestUri);
        }

        MetadataResponse.RequireGet(http, Segment);
        var cast = match.Groups["cast"].Success ? match.Groups["cast"].Value : null;
        var all = RelationshipDefinition.All(api.Catalog);
        if (match.Groups["name"].Success || match.Groups["id"].Success)
        {
            var relationship = all.FirstOrDefault(r => r.SchemaName == match.Groups["name"].Value
                                                       || (Guid.TryParse(match.Groups["id"].Value, out var id) && r.MetadataId == id))
                ?? throw new WebApiException(StatusCodes.Status404NotFound, ErrorCodes.ObjectDoesNotExist,
                    $"Could not find a relationship with SchemaName {(match.Groups["name"].Success ? match.Groups["name"].Value : match.Groups["id"].Value)}.");
            if (cast is not null && relationship.TypeName != cast)
            {
                throw WebApiException.NoResource(requestUri);
            }

            var query = MetadataQuery.Parse(http.Request.Query, cast ?? relationship.TypeName, RelationshipMetadataWriter.SelectableOn(cast ?? relationship.TypeName),
                filterable: false, expandable: false);
            await MetadataResponse.WriteAsync(api, writer => RelationshipMetadataWriter.Write(writer, relationship, query,
                api.MetadataUri($"{Segment}/Microsoft.Dynamics.CRM.{relationship.TypeName}{query.ContextSelection()}/$entity")));
            return;
        }

        var context = Segment + (cast is null ? "" : "/Microsoft.Dynamics.CRM." + cast);
        await WriteCollectionAsync(api, context, cast, all.Where(r => cast is null || r.TypeName == cast));
    }

    /// <summary>
    /// EntityDefinitions(…)/OneToManyRelationships and the like (a GET, which EntityDefinitionsEndpoint checked): the
    /// relationships the table is on that side of.
    /// </summary>
    public static Task WriteOfEntityAsync(WebApiContext api, Engine.Metadata.EntityDefinition entity, string navigation)
    {
        var all = RelationshipDefinition.All(api.Catalog);
        var (cast, ofEntity) = navigation switch
        {
            "OneToManyRelationships" => (RelationshipDefinition.OneToManyType, all.Where(r => !r.IsManyToMany && r.ReferencedEntity == entity.LogicalName)),
            "ManyToOneRelationships" => (RelationshipDefinition.OneToManyType, all.Where(r => !r.IsManyToMany && r.ReferencingEntity == entity.LogicalName)),
            _ => (RelationshipDefinition.ManyToManyType, all.Where(r => r.IsManyToMany && r.Involves(entity.LogicalName))),
        };
        return WriteCollectionAsync(api, $"{MetadataPath.Segment}('{entity.LogicalName}')/{navigation}", cast, ofEntity);
    }

    private static Task WriteCollectionAsync(WebApiContext api, string context, string? cast, IEnumerable<RelationshipDefinition> relationships)
    {
        var typeName = cast ?? RelationshipMetadataWriter.BaseType;
        var query = MetadataQuery.Parse(api.Http.Request.Query, typeName, RelationshipMetadataWriter.SelectableOn(cast), filterable: true, expandable: false);
        var filter = MetadataFilter<RelationshipDefinition>.Parse(query.Filter, typeName, RelationshipMetadataWriter.FilterableOn(cast));
        return MetadataResponse.WriteAsync(api, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", api.MetadataUri(context + query.ContextSelection()));
            writer.WriteStartArray("value");
            foreach (var relationship in relationships.Where(r => filter?.Matches(r) ?? true))
            {
                RelationshipMetadataWriter.Write(writer, relationship, query);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    [GeneratedRegex("""
        ^RelationshipDefinitions
        (?:\((?:SchemaName='(?<name>[A-Za-z0-9_]+)'|(?<id>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}))\))?
        (?:/Microsoft\.Dynamics\.CRM\.(?<cast>OneToManyRelationshipMetadata|ManyToManyRelationshipMetadata))?$
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();
}
