using System.Globalization;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Records;

/// <summary>Turns stored rows into SDK entities: lookups become EntityReferences, choices OptionSetValues, with formatted values.</summary>
public sealed class EntityMapper(MetadataCatalog catalog)
{
    /// <summary>Output columns read only to build a value (an owner's type), never returned as attributes.</summary>
    public const string HiddenPrefix = "__";

    public Entity ToEntity(EntityDefinition entity, StoredRow row, IReadOnlyList<LinkEntity>? links = null)
    {
        // A row without its id is a distinct combination of columns (DistinctValues), not a record.
        var result = new Entity(entity.LogicalName, row.GetValueOrDefault(entity.PrimaryIdAttribute) is Guid id ? id : Guid.Empty);
        foreach (var (key, value) in row)
        {
            var dot = key.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0)
            {
                if (!key.StartsWith(HiddenPrefix, StringComparison.Ordinal))
                {
                    AddAliased(result, row, key, dot, value, links);
                }
                continue;
            }

            if (!entity.TryGetAttribute(key, out var attribute))
            {
                continue;
            }

            if (attribute.AttributeOf is not null && !attribute.IsStored)
            {
                // Name companions are folded into the lookup's EntityReference.Name; one read without its lookup
                // was asked for by name, and is returned as itself (SDK callers can select createdbyname).
                if (!row.ContainsKey(attribute.AttributeOf))
                {
                    result[key] = value;
                }
                continue;
            }

            Set(result, entity, attribute, value, row);
        }

        if (row.TryGetValue("versionnumber", out var version) && version is long v)
        {
            result.RowVersion = v.ToString(CultureInfo.InvariantCulture);
        }

        return result;
    }

    private void Set(Entity result, EntityDefinition entity, AttributeDefinition attribute, object? value, StoredRow row)
    {
        switch (attribute.AttributeType)
        {
            case AttributeTypeCode.Lookup or AttributeTypeCode.Owner when value is Guid id:
                var target = attribute.AttributeType == AttributeTypeCode.Owner && (row.TryGetValue(attribute.LogicalName + "type", out var type) || row.TryGetValue(HiddenPrefix + attribute.LogicalName + "type", out type)) && type is int code
                    ? OwnerTypes.OwnerLogicalName(code)
                    : attribute.Targets[0];
                var reference = new EntityReference(target, id)
                {
                    Name = row.TryGetValue(attribute.LogicalName + "name", out var name) ? name as string : null,
                };
                result[attribute.LogicalName] = reference;
                if (reference.Name is not null)
                {
                    result.FormattedValues[attribute.LogicalName] = reference.Name;
                }

                break;
            case AttributeTypeCode.State or AttributeTypeCode.Status or AttributeTypeCode.Picklist when value is int option:
                result[attribute.LogicalName] = new OptionSetValue(option);
                if (LabelOf(attribute, option) is { } label)
                {
                    result.FormattedValues[attribute.LogicalName] = label;
                }

                break;
            case AttributeTypeCode.EntityName when value is int ownerType:
                result[attribute.LogicalName] = OwnerTypes.OwnerLogicalName(ownerType);
                break;
            default:
                result[attribute.LogicalName] = value;
                var formatted = Format(attribute, value);
                if (formatted is not null)
                {
                    result.FormattedValues[attribute.LogicalName] = formatted;
                }

                break;
        }
    }

    private static string? LabelOf(AttributeDefinition attribute, int option)
    {
        foreach (var choice in attribute.Options)
        {
            if (choice.Value == option)
            {
                return choice.Label;
            }
        }
        return null;
    }

    private void AddAliased(Entity result, StoredRow row, string key, int dot, object? value, IReadOnlyList<LinkEntity>? links)
    {
        var alias = key[..dot];
        var column = key[(dot + 1)..];
        var link = links is null ? null : LinkTree.All(links).FirstOrDefault(l => LinkTree.AliasOf(l) == alias);
        var logicalName = link?.LinkToEntityName ?? alias;
        object? converted = value;
        if (catalog.TryGetByLogicalName(logicalName, out var linked) && linked.TryGetAttribute(column, out var attribute))
        {
            if (attribute.AttributeOf is not null && !attribute.IsStored && row.ContainsKey(alias + "." + attribute.AttributeOf))
            {
                return; // a name companion read with its lookup is folded into the lookup's EntityReference.Name, as for the table's own
            }

            var scratch = new Entity(logicalName);
            Set(scratch, linked, attribute, value, attribute.IsLookup ? CompanionsOf(row, alias, attribute) : new StoredRow());
            converted = scratch.Attributes.TryGetValue(column, out var v) ? v : value;
            if (scratch.FormattedValues.TryGetValue(column, out var formatted))
            {
                result.FormattedValues[key] = formatted;
            }
        }

        result[key] = new AliasedValue(logicalName, column, converted);
    }

    /// <summary>A linked lookup's name and (owner) type read beside it as "alias.createdbyname", "__alias.owneridtype".</summary>
    private static StoredRow CompanionsOf(StoredRow row, string alias, AttributeDefinition lookup)
    {
        var companions = new StoredRow(2);
        foreach (var name in (ReadOnlySpan<string>)[lookup.LogicalName + "name", lookup.LogicalName + "type"])
        {
            if (row.TryGetValue(alias + "." + name, out var value) || row.TryGetValue(HiddenPrefix + alias + "." + name, out value))
            {
                companions[name] = value;
            }
        }
        return companions;
    }

    /// <summary>A column's value as Dataverse shows it to a user: a choice's label, a date, a number with separators.</summary>
    public static string? FormattedValue(AttributeDefinition attribute, object? value) =>
        attribute.AttributeType is AttributeTypeCode.State or AttributeTypeCode.Status or AttributeTypeCode.Picklist && value is int option
            ? LabelOf(attribute, option)
            : Format(attribute, value);

    /// <summary>Formatted values as Dataverse shows them to a user in the en-US locale and UTC.</summary>
    private static string? Format(AttributeDefinition attribute, object? value) => value switch
    {
        DateTime date when attribute.IsDateOnly => date.ToString("M/d/yyyy", CultureInfo.InvariantCulture),
        DateTime date => date.ToString("M/d/yyyy h:mm tt", CultureInfo.InvariantCulture),
        int number when attribute.AttributeType == AttributeTypeCode.Integer => number.ToString("N0", CultureInfo.InvariantCulture),
        long number => number.ToString("N0", CultureInfo.InvariantCulture),
        bool flag => flag ? "Yes" : "No",
        _ => null,
    };
}
