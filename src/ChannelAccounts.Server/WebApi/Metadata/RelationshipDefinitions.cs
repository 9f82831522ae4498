using System.Runtime.CompilerServices;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Principals;
using ChannelAccounts.Server.WebApi.Edm;

namespace ChannelAccounts.Server.WebApi.Metadata;

/// <summary>
/// One relationship of the catalog as Dataverse's RelationshipMetadata: a one-to-many one for each lookup the data
/// model navigates (the same names as its $metadata partners: lk_x_createdby, owner_x, user_x…), a many-to-many one
/// for each intersect table (systemuserroles_association…).
/// </summary>
public sealed record RelationshipDefinition(
    string SchemaName,
    bool IsManyToMany,
    string ReferencedEntity = "",
    string ReferencedAttribute = "",
    string ReferencingEntity = "",
    string ReferencingAttribute = "",
    ManyToManyRelationship? ManyToMany = null)
{
    public const string OneToManyType = "OneToManyRelationshipMetadata";
    public const string ManyToManyType = "ManyToManyRelationshipMetadata";

    public string TypeName => IsManyToMany ? ManyToManyType : OneToManyType;

    public string RelationshipType => IsManyToMany ? "ManyToManyRelationship" : "OneToManyRelationship";

    public Guid MetadataId => MetadataIds.Relationship(SchemaName);

    public bool Involves(string entity) => IsManyToMany
        ? ManyToMany!.Entity1 == entity || ManyToMany.Entity2 == entity
        : ReferencedEntity == entity || ReferencingEntity == entity;

    /// <summary>The catalog's relationships, built once per catalog: the catalog does not change while it is in use.</summary>
    private static readonly ConditionalWeakTable<MetadataCatalog, IReadOnlyList<RelationshipDefinition>> Built = new();

    /// <summary>Every relationship of the catalog, one-to-many first, in table and column order.</summary>
    public static IReadOnlyList<RelationshipDefinition> All(MetadataCatalog catalog) => Built.GetValue(catalog, Build);

    private static IReadOnlyList<RelationshipDefinition> Build(MetadataCatalog catalog)
    {
        var all = new List<RelationshipDefinition>();
        foreach (var entity in catalog.Entities)
        {
            foreach (var lookup in entity.Attributes.Where(a => a.IsLookup && EdmModelBuilder.IsInModel(a)))
            {
                // ownerid points at Dataverse's owner table (a user or a team), as its owner_x relationships do.
                var (referenced, key) = lookup.AttributeType == AttributeTypeCode.Owner
                    ? ("owner", "ownerid")
                    : lookup.Targets.Count == 1 && catalog.TryGetByLogicalName(lookup.Targets[0], out var target)
                        ? (target.LogicalName, target.PrimaryIdAttribute)
                        : (null, null);
                if (referenced is not null)
                {
                    all.Add(new(NavigationPartners.NameOf(entity.LogicalName, lookup.LogicalName), false, referenced, key!, entity.LogicalName, lookup.LogicalName));
                }
            }
        }

        all.AddRange(PrincipalTables.Relationships.Select(r => new RelationshipDefinition(r.SchemaName, true, ManyToMany: r)));
        return all;
    }
}
