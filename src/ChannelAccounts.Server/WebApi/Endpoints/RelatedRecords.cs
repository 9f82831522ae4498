using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Principals;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Server.WebApi.Edm;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>
/// GET set(id)/nav for a collection-valued navigation property: the related records, read as a collection GET of
/// their own table (query options, paging and row security as there) narrowed to the ones related to this record.
/// One-to-many (systemusers(id)/user_msdyn_ocwhatsappchannelaccount: the rows whose lookup points here) and
/// many-to-many (teams(id)/teammembership_association: joined through the intersect table).
/// </summary>
public sealed class RelatedRecords
{
    private readonly Action<QueryExpression, Guid> _narrow;

    private RelatedRecords(EntityDefinition target, Action<QueryExpression, Guid> narrow)
    {
        Target = target;
        _narrow = narrow;
    }

    /// <summary>The table whose records the navigation property holds.</summary>
    public EntityDefinition Target { get; }

    /// <summary>The related records of the navigation property of one table, or null when it names none this server reads.</summary>
    public static RelatedRecords? Of(MetadataCatalog catalog, EntityDefinition entity, string navigation)
    {
        if (PrincipalTables.Relationships.FirstOrDefault(r => r.SchemaName == navigation) is { } manyToMany)
        {
            var (own, other, otherEntity) = manyToMany.From(entity.LogicalName);
            var target = catalog[otherEntity];
            return new RelatedRecords(target, (query, id) =>
            {
                var link = query.AddLink(manyToMany.IntersectEntity, target.PrimaryIdAttribute, other);
                link.LinkCriteria.AddCondition(own, ConditionOperator.Equal, id);
            });
        }

        foreach (var table in catalog.Entities)
        {
            foreach (var lookup in table.Attributes)
            {
                if (lookup.IsLookup && lookup.IsStored && lookup.Targets.Contains(entity.LogicalName, StringComparer.Ordinal)
                    && NavigationPartners.NameOf(table.LogicalName, lookup.LogicalName) == navigation)
                {
                    return new RelatedRecords(table, (query, id) =>
                    {
                        var narrowed = new FilterExpression(LogicalOperator.And);
                        narrowed.AddCondition(lookup.LogicalName, ConditionOperator.Equal, id);
                        narrowed.AddFilter(query.Criteria);
                        query.Criteria = narrowed;
                    });
                }
            }
        }

        return null;
    }

    /// <summary>Narrows the target table's query to the records related to the record with this id.</summary>
    public void Narrow(QueryExpression query, Guid id) => _narrow(query, id);
}
