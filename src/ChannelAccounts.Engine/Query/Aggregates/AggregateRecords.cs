using System.Globalization;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;

namespace ChannelAccounts.Engine.Query.Aggregates;

/// <summary>
/// The rows of an aggregate query as records: the aliases as attributes, holding values as stored, and each alias's
/// formatted value as Dataverse shows it (a grouped choice's label, a grouped lookup's name, a date, and numbers
/// with separators: counts, sums, averages and date parts, "2,023" for a year).
/// </summary>
public static class AggregateRecords
{
    public static Entity ToEntity(EntityDefinition entity, AggregateQuery query, StoredRow row, MetadataCatalog catalog)
    {
        var record = new Entity(entity.LogicalName);
        foreach (var group in query.Groups)
        {
            var value = Copy(record, row, group.Alias);
            var attribute = catalog[query.TableOf(group.LinkAlias)].Attribute(group.AttributeName);
            Format(record, group.Alias, group.DateGrouping is not null ? Number(value)
                : attribute.IsLookup ? row.GetValueOrDefault(group.Alias + AggregateQuery.LookupNameSuffix) as string
                : EntityMapper.FormattedValue(attribute, value));
        }

        foreach (var aggregate in query.Aggregates)
        {
            var value = Copy(record, row, aggregate.Alias);
            Format(record, aggregate.Alias, aggregate.Function is AggregateFunction.Min or AggregateFunction.Max && aggregate.AttributeName is { } column
                ? EntityMapper.FormattedValue(catalog[query.TableOf(aggregate.LinkAlias)].Attribute(column), value)
                : Number(value));
        }

        return record;
    }

    private static object? Copy(Entity record, StoredRow row, string alias)
    {
        var value = row.GetValueOrDefault(alias);
        record[alias] = value;
        return value;
    }

    private static void Format(Entity record, string alias, string? formatted)
    {
        if (formatted is not null && record[alias] is not null)
        {
            record.FormattedValues[alias] = formatted;
        }
    }

    private static string? Number(object? value) => value switch
    {
        int i => i.ToString("N0", CultureInfo.InvariantCulture),
        long l => l.ToString("N0", CultureInfo.InvariantCulture),
        double d => d.ToString("N0", CultureInfo.InvariantCulture),
        _ => null,
    };
}
