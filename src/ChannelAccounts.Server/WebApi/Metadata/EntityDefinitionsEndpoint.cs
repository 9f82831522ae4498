using System.Text.Json;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Server.WebApi.Errors;

namespace ChannelAccounts.Server.WebApi.Metadata;

/// <summary>
/// GET EntityDefinitions: the catalog's tables as EntityMetadata, a table's Attributes (optionally one, optionally cast
/// to a type to $select its own properties or $expand=OptionSet), a table's alternate Keys and its relationships. Read by any authenticated caller, as in Dataverse.
/// </summary>
public static class EntityDefinitionsEndpoint
{
    public static async Task HandleAsync(WebApiContext api, string path)
    {
        var http = api.Http;
        var requestUri = http.Request.Path + http.Request.QueryString;
        var route = MetadataPath.Parse(path, requestUri);
        MetadataResponse.RequireGet(http, MetadataPath.Segment);
        if (route.Cast is { } cast && !AttributeMetadataTypes.IsKnown(cast))
        {
            throw WebApiException.NoResource(requestUri);
        }

        if (route.Relationships is { } relationships)
        {
            await RelationshipDefinitionsEndpoint.WriteOfEntityAsync(api, Entity(api.Catalog, route), relationships);
            return;
        }

        await MetadataResponse.WriteAsync(api, writer =>
        {
            if (route.IsEntityCollection)
            {
                WriteEntities(api, writer);
            }
            else if (route.Keys)
            {
                EntityKeyMetadataWriter.WriteKeys(api, writer, Entity(api.Catalog, route));
            }
            else if (!route.Attributes)
            {
                WriteEntity(api, writer, Entity(api.Catalog, route));
            }
            else
            {
                WriteAttributes(api, writer, Entity(api.Catalog, route), route, requestUri);
            }
        });
    }

    private static void WriteEntities(WebApiContext api, Utf8JsonWriter writer)
    {
        var query = MetadataQuery.Parse(api.Http.Request.Query, EntityMetadataWriter.TypeName, EntityMetadataWriter.Properties, filterable: true, expandable: false,
            attributesExpandable: true);
        var filter = MetadataFilter<EntityDefinition>.Parse(query.Filter, EntityMetadataWriter.TypeName, EntityMetadataWriter.Filterable);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", api.MetadataUri(MetadataPath.Segment + query.ContextSelection()));
        writer.WriteStartArray("value");
        foreach (var entity in api.Catalog.Entities.Where(e => filter?.Matches(e) ?? true))
        {
            EntityMetadataWriter.Write(writer, entity, query);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteEntity(WebApiContext api, Utf8JsonWriter writer, EntityDefinition entity)
    {
        var query = MetadataQuery.Parse(api.Http.Request.Query, EntityMetadataWriter.TypeName, EntityMetadataWriter.Properties, filterable: false, expandable: false,
            attributesExpandable: true);
        EntityMetadataWriter.Write(writer, entity, query, api.MetadataUri(MetadataPath.Segment + query.ContextSelection() + "/$entity"));
    }

    private static void WriteAttributes(WebApiContext api, Utf8JsonWriter writer, EntityDefinition entity, MetadataPath route, string requestUri)
    {
        var typeName = route.Cast ?? AttributeMetadataTypes.Base;
        var query = MetadataQuery.Parse(api.Http.Request.Query, typeName, AttributeMetadataTypes.SelectableOn(route.Cast),
            filterable: route.IsAttributeCollection, expandable: AttributeMetadataTypes.HasOptionSet(route.Cast));
        var context = $"{MetadataPath.Segment}('{entity.LogicalName}')/Attributes"
            + (route.Cast is null ? "" : "/Microsoft.Dynamics.CRM." + route.Cast) + query.ContextSelection();
        var ofType = entity.Attributes.Where(a => route.Cast is null || AttributeMetadataTypes.TypeNameOf(a) == route.Cast);
        if (route.IsAttributeCollection)
        {
            var filter = MetadataFilter<AttributeDefinition>.Parse(query.Filter, typeName, AttributeMetadataWriter.Filterable);
            writer.WriteStartObject();
            writer.WriteString("@odata.context", api.MetadataUri(context));
            writer.WriteStartArray("value");
            foreach (var column in ofType.Where(a => filter?.Matches(a) ?? true))
            {
                AttributeMetadataWriter.Write(writer, entity, column, query);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            return;
        }

        var attribute = entity.Attributes.FirstOrDefault(a => a.LogicalName == route.AttributeName
            || (route.AttributeId is { } id && MetadataIds.Attribute(entity.LogicalName, a.LogicalName) == id))
            ?? throw new WebApiException(StatusCodes.Status404NotFound, ErrorCodes.ObjectDoesNotExist,
                $"Could not find an attribute with name {route.AttributeName ?? route.AttributeId.ToString()} on entity {entity.LogicalName}.");
        if (!ofType.Contains(attribute))
        {
            throw WebApiException.NoResource(requestUri);
        }

        AttributeMetadataWriter.Write(writer, entity, attribute, query, api.MetadataUri(context + "/$entity"));
    }

    private static EntityDefinition Entity(MetadataCatalog catalog, MetadataPath route)
    {
        var entity = route.EntityName is { } name
            ? (catalog.TryGetByLogicalName(name, out var byName) ? byName : null)
            : catalog.Entities.FirstOrDefault(e => MetadataIds.Entity(e.LogicalName) == route.EntityId);
        return entity ?? throw new WebApiException(StatusCodes.Status404NotFound, ErrorCodes.ObjectDoesNotExist,
            $"Could not find an entity with name {route.EntityName} and id {route.EntityId ?? Guid.Empty}.");
    }
}
