using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Server.WebApi.Edm;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>
/// GET set(id)/nav for a collection-valued navigation property: the related records, read as a collection GET of
/// their own table (query options, paging and row security as there) narrowed to the ones related to this record.
/// One-to-many only (systemusers(id)/user_msdyn_ocwhatsappchannelaccount: the rows whose lookup points here). A
/// many-to-many one (teams(id)/teammembership_association) would read through its intersect table, which the engine
/// does not let queries join, so it stays an unknown resource.
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
