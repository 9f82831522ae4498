using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Principals;
using ChannelAccounts.Sdk;
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
    /// <summary>
    /// Narrows a query of the target table to the records related to these records; when asked, also reads which of
    /// them each row belongs to and answers how to tell (taking off the column it read for that), else null.
    /// </summary>
    private readonly Func<QueryExpression, IReadOnlyCollection<Guid>, bool, Func<Entity, Guid?>?> _narrow;

    private RelatedRecords(EntityDefinition target, Func<QueryExpression, IReadOnlyCollection<Guid>, bool, Func<Entity, Guid?>?> narrow,
        bool isManyToMany = false)
    {
        Target = target;
        _narrow = narrow;
        IsManyToMany = isManyToMany;
    }

    /// <summary>Joined through an intersect table; Dataverse nests no $expand with such a property.</summary>
    public bool IsManyToMany { get; }

    /// <summary>The alias of the intersect table a many-to-many expansion joins, whose column names each row's record.</summary>
    private const string ParentAlias = "ca_related";

    /// <summary>The table whose records the navigation property holds.</summary>
    public EntityDefinition Target { get; }

    /// <summary>The related records of the navigation property of one table, or null when it names none this server reads.</summary>
    public static RelatedRecords? Of(MetadataCatalog catalog, EntityDefinition entity, string navigation)
    {
        if (PrincipalTables.Relationships.FirstOrDefault(r => r.SchemaName == navigation) is { } manyToMany)
        {
            var (own, other, otherEntity) = manyToMany.From(entity.LogicalName);
            var target = catalog[otherEntity];
            return new RelatedRecords(target, (query, ids, tellRecord) =>
            {
                var link = query.AddLink(manyToMany.IntersectEntity, target.PrimaryIdAttribute, other);
                link.LinkCriteria.AddCondition(AnyOf(own, ids));
                if (!tellRecord)
                {
                    return null;
                }

                // One row per (related record, record it relates to): the intersect's own column says which.
                link.EntityAlias = ParentAlias;
                link.Columns = new ColumnSet(own);
                var key = ParentAlias + "." + own;
                return row =>
                {
                    var parent = row.Attributes.TryGetValue(key, out var value) ? IdOf((value as AliasedValue)?.Value) : null;
                    row.Attributes.Remove(key);
                    return parent;
                };
            }, isManyToMany: true);
        }

        if (NavigationPartners.OneToMany(catalog, entity, navigation) is ({ } table, { } lookup))
        {
            return new RelatedRecords(table, (query, ids, tellRecord) =>
            {
                var narrowed = new FilterExpression(LogicalOperator.And);
                narrowed.AddCondition(AnyOf(lookup.LogicalName, ids));
                narrowed.AddFilter(query.Criteria);
                query.Criteria = narrowed;
                if (!tellRecord)
                {
                    return null;
                }

                // The lookup says which record a row belongs to; read for that, it is shown only when selected.
                var added = !query.ColumnSet.AllColumns && !query.ColumnSet.Columns.Contains(lookup.LogicalName);
                if (added)
                {
                    query.ColumnSet.Columns.Add(lookup.LogicalName);
                }

                return row =>
                {
                    var parent = row.Attributes.TryGetValue(lookup.LogicalName, out var value) ? IdOf(value) : null;
                    if (added)
                    {
                        row.Attributes.Remove(lookup.LogicalName);
                    }

                    return parent;
                };
            });
        }

        return null;
    }

    /// <summary>
    /// The related records as a test of a record's related rows ($filter nav/any(...), nav/all(...)): the link from
    /// <paramref name="entity"/> that tests them, and the link whose criteria test the related table's rows (the same
    /// one for one-to-many; for many-to-many the test runs over the intersect table and joins the related table in it).
    /// Null when the navigation property names none this server reads.
    /// </summary>
    public static (LinkEntity Test, LinkEntity Rows, EntityDefinition Table)? TestOf(MetadataCatalog catalog, EntityDefinition entity, string navigation,
        JoinOperator test)
    {
        if (PrincipalTables.Relationships.FirstOrDefault(r => r.SchemaName == navigation) is { } manyToMany)
        {
            var (own, other, otherEntity) = manyToMany.From(entity.LogicalName);
            var target = catalog[otherEntity];
            var through = new LinkEntity(entity.LogicalName, manyToMany.IntersectEntity, entity.PrimaryIdAttribute, own, test);
            return (through, through.AddLink(target.LogicalName, other, target.PrimaryIdAttribute), target);
        }

        if (NavigationPartners.OneToMany(catalog, entity, navigation) is ({ } table, { } lookup))
        {
            var link = new LinkEntity(entity.LogicalName, table.LogicalName, entity.PrimaryIdAttribute, lookup.LogicalName, test);
            return (link, link, table);
        }

        return null;
    }

    /// <summary>Narrows the target table's query to the records related to the record with this id.</summary>
    public void Narrow(QueryExpression query, Guid id) => _narrow(query, [id], false);

    /// <summary>
    /// Narrows the target table's query to the records related to any of these records (one query for a page), and
    /// answers, for each row it returns, which of them the row belongs to (taking off the column it read for that).
    /// </summary>
    public Func<Entity, Guid?> NarrowToAny(QueryExpression query, IReadOnlyCollection<Guid> ids) => _narrow(query, ids, true)!;

    /// <summary>column = id for one record, column IN (ids) for several.</summary>
    private static ConditionExpression AnyOf(string column, IReadOnlyCollection<Guid> ids) => ids.Count == 1
        ? new ConditionExpression(column, ConditionOperator.Equal, ids.First())
        : new ConditionExpression(column, ConditionOperator.In, [.. ids.Cast<object?>()]);

    private static Guid? IdOf(object? value) => value switch
    {
        Guid id => id,
        EntityReference reference => reference.Id,
        _ => null,
    };
}
