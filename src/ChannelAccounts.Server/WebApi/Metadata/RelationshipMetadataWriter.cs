using System.Text.Json;

namespace ChannelAccounts.Server.WebApi.Metadata;

/// <summary>A relationship as Dataverse's OneToManyRelationshipMetadata or ManyToManyRelationshipMetadata.</summary>
public static class RelationshipMetadataWriter
{
    public const string BaseType = "RelationshipMetadataBase";

    private static readonly string[] Common =
        ["MetadataId", "SchemaName", "RelationshipType", "IsCustomRelationship", "IsManaged", "IsValidForAdvancedFind", "SecurityTypes"];

    private static readonly string[] OneToMany =
    [
        "ReferencedAttribute", "ReferencedEntity", "ReferencingAttribute", "ReferencingEntity",
        "ReferencedEntityNavigationPropertyName", "ReferencingEntityNavigationPropertyName", "IsHierarchical",
    ];

    private static readonly string[] ManyToMany =
    [
        "Entity1LogicalName", "Entity1IntersectAttribute", "Entity1NavigationPropertyName",
        "Entity2LogicalName", "Entity2IntersectAttribute", "Entity2NavigationPropertyName", "IntersectEntityName",
    ];

    /// <summary>The properties $select may name on the base type or a cast to one of the two types.</summary>
    public static IReadOnlySet<string> SelectableOn(string? cast) => new HashSet<string>(
        cast switch
        {
            RelationshipDefinition.OneToManyType => Common.Concat(OneToMany),
            RelationshipDefinition.ManyToManyType => Common.Concat(ManyToMany),
            _ => Common,
        }, StringComparer.Ordinal);

    /// <summary>The properties $filter may compare, by type as for $select.</summary>
    public static IReadOnlyDictionary<string, FilterProperty<RelationshipDefinition>> FilterableOn(string? cast)
    {
        var filterable = new Dictionary<string, FilterProperty<RelationshipDefinition>>(StringComparer.Ordinal)
        {
            ["SchemaName"] = new(r => r.SchemaName),
            ["RelationshipType"] = new(r => r.RelationshipType, "Microsoft.Dynamics.CRM.RelationshipType", ["OneToManyRelationship", "ManyToManyRelationship"]),
            ["IsCustomRelationship"] = FilterProperty<RelationshipDefinition>.Boolean(_ => false),
        };
        if (cast == RelationshipDefinition.OneToManyType)
        {
            filterable["ReferencedEntity"] = new(r => r.ReferencedEntity);
            filterable["ReferencingEntity"] = new(r => r.ReferencingEntity);
            filterable["ReferencedAttribute"] = new(r => r.ReferencedAttribute);
            filterable["ReferencingAttribute"] = new(r => r.ReferencingAttribute);
        }
        else if (cast == RelationshipDefinition.ManyToManyType)
        {
            filterable["Entity1LogicalName"] = new(r => r.ManyToMany?.Entity1);
            filterable["Entity2LogicalName"] = new(r => r.ManyToMany?.Entity2);
            filterable["IntersectEntityName"] = new(r => r.ManyToMany?.IntersectEntity);
        }
        return filterable;
    }

    public static void Write(Utf8JsonWriter writer, RelationshipDefinition relationship, MetadataQuery query, string? context = null)
    {
        writer.WriteStartObject();
        if (context is not null)
        {
            writer.WriteString("@odata.context", context);
        }

        writer.WriteString("@odata.type", "#Microsoft.Dynamics.CRM." + relationship.TypeName);
        writer.WriteString("MetadataId", relationship.MetadataId);
        query.WriteString(writer, "SchemaName", relationship.SchemaName);
        query.WriteString(writer, "RelationshipType", relationship.RelationshipType);
        query.WriteBoolean(writer, "IsCustomRelationship", false);
        query.WriteBoolean(writer, "IsManaged", true);
        query.WriteBoolean(writer, "IsValidForAdvancedFind", true);
        query.WriteString(writer, "SecurityTypes", "None");
        if (relationship.ManyToMany is { } manyToMany)
        {
            query.WriteString(writer, "Entity1LogicalName", manyToMany.Entity1);
            query.WriteString(writer, "Entity1IntersectAttribute", manyToMany.Entity1Attribute);
            query.WriteString(writer, "Entity1NavigationPropertyName", manyToMany.SchemaName);
            query.WriteString(writer, "Entity2LogicalName", manyToMany.Entity2);
            query.WriteString(writer, "Entity2IntersectAttribute", manyToMany.Entity2Attribute);
            query.WriteString(writer, "Entity2NavigationPropertyName", manyToMany.SchemaName);
            query.WriteString(writer, "IntersectEntityName", manyToMany.IntersectEntity);
        }
        else
        {
            query.WriteString(writer, "ReferencedAttribute", relationship.ReferencedAttribute);
            query.WriteString(writer, "ReferencedEntity", relationship.ReferencedEntity);
            query.WriteString(writer, "ReferencingAttribute", relationship.ReferencingAttribute);
            query.WriteString(writer, "ReferencingEntity", relationship.ReferencingEntity);
            query.WriteString(writer, "ReferencedEntityNavigationPropertyName", relationship.SchemaName);
            query.WriteString(writer, "ReferencingEntityNavigationPropertyName", relationship.ReferencingAttribute);
            query.WriteBoolean(writer, "IsHierarchical", false);
        }

        writer.WriteEndObject();
    }
}
