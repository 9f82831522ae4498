using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Query.Aggregates;

/// <summary>
/// A distinct query whose columns leave out the primary id (FetchXML distinct="true" asking for statecode alone)
/// returns each combination of those columns once, without an id, as Dataverse does: run as a grouping of exactly
/// those columns, the groups coming back as records. Orders follow the columns, ascending; a query naming the id,
/// all columns, or a linked table's columns returns whole records as before (each record is distinct by its id).
/// </summary>
public static class DistinctValues
{
    /// <summary>Whether the query asks for distinct combinations of its own columns rather than for records.</summary>
    public static bool Applies(QueryExpression query, EntityDefinition entity) =>
        query.Distinct && !query.ColumnSet.AllColumns && query.ColumnSet.Columns.Count > 0
        && !query.ColumnSet.Columns.Contains(entity.PrimaryIdAttribute)
        && !LinkTree.All(query.LinkEntities).Any(l => l.Columns.AllColumns || l.Columns.Columns.Count > 0);

    /// <summary>The grouping that answers the query, or null when its rows are records.</summary>
    public static AggregateQuery? AsGrouping(QueryExpression query, EntityDefinition entity)
    {
        if (!Applies(query, entity))
        {
            return null;
        }

        var grouping = new AggregateQuery(entity.LogicalName) { Criteria = query.Criteria, TopCount = query.TopCount };
        grouping.LinkEntities.AddRange(query.LinkEntities);
        // The ordered columns lead, so the groups come in that order (ascending: groups are returned in key order).
        var columns = query.Orders.Where(o => o.EntityName is null || o.EntityName == entity.LogicalName).Select(o => o.AttributeName)
            .Where(query.ColumnSet.Columns.Contains).Concat(query.ColumnSet.Columns).Distinct(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            grouping.Groups.Add(new GroupKey(column, column));
            if (entity.TryGetAttribute(column, out var attribute) && attribute.AttributeType == AttributeTypeCode.Owner)
            {
                // The owner's type follows from the owner, so it splits no group; it says whether the owner is a user or a team.
                grouping.Groups.Add(new GroupKey(column + "type", EntityMapper.HiddenPrefix + column + "type"));
            }
        }

        return grouping;
    }

    /// <summary>A group as the stored row of a record without an id: its columns, and a lookup's name beside it.</summary>
    public static StoredRow ToRow(AggregateQuery grouping, StoredRow group)
    {
        var row = new StoredRow(group.Count);
        foreach (var key in grouping.Groups)
        {
            row[key.Alias] = group.GetValueOrDefault(key.Alias);
            if (group.TryGetValue(key.Alias + AggregateQuery.LookupNameSuffix, out var name))
            {
                row[key.AttributeName + "name"] = name;
            }
        }

        return row;
    }
}
