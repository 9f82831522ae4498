using System.Globalization;
using System.Text.Json;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;

namespace ChannelAccounts.Server.WebApi.Json;

/// <summary>
/// Writes records as Dataverse's Web API does: lookups as _x_value, choices as numbers, dates in UTC,
/// @odata.etag from the version number, and the annotations the client asked for placed before each value; at the
/// odata.metadata level the client asked for (none drops the ETags, full adds what <see cref="FullMetadata"/> writes).
/// </summary>
/// <param name="serviceRoot">The service root URL ending in '/', for lookups expanded as nav/$ref.</param>
/// <param name="ieee754Compatible">Int64 values as strings (Accept: …;IEEE754Compatible=true).</param>
public sealed class EntityJsonWriter(PreferHeader prefer, MetadataLevel level = MetadataLevel.Minimal, FullMetadata? full = null, string serviceRoot = "",
    bool ieee754Compatible = false)
{
    private readonly bool _formatted = prefer.Includes(Annotations.FormattedValue);
    private readonly bool _lookupName = prefer.Includes(Annotations.LookupLogicalName);
    private readonly bool _navigationName = prefer.Includes(Annotations.AssociatedNavigationProperty);
    private readonly bool _controlInformation = level != MetadataLevel.None;
    private readonly FullMetadata? _full = level == MetadataLevel.Full ? full ?? throw new ArgumentNullException(nameof(full)) : null;
    private EntityDefinition? _sortedFor;
    private List<string> _sortedNames = [];
    private List<AttributeDefinition> _sorted = [];

    /// <summary>The writer for this request's records, at the level its Accept header asks for.</summary>
    public static EntityJsonWriter For(WebApiContext api) => api.Metadata == MetadataLevel.Full
        ? new EntityJsonWriter(api.Prefer, MetadataLevel.Full, new FullMetadata(api.ServiceRoot, api.Model), api.ServiceRoot, api.Ieee754Compatible)
        : new EntityJsonWriter(api.Prefer, api.Metadata, serviceRoot: api.ServiceRoot, ieee754Compatible: api.Ieee754Compatible);

    /// <param name="links">With odata.metadata=full, which navigation properties get links; null: the lookups the record holds.</param>
    public void WriteEntity(Utf8JsonWriter writer, EntityDefinition definition, Entity entity,
        IReadOnlyList<ExpandedNavigation>? expands = null, string? context = null, Action<Utf8JsonWriter>? extra = null,
        NavigationLinks? links = null)
    {
        writer.WriteStartObject();
        if (context is not null)
        {
            writer.WriteString("@odata.context", context);
        }

        if (_full is not null)
        {
            _full.WriteIdentity(writer, definition, entity.Id, entity.RowVersion is null ? null : ETag(entity.RowVersion));
        }
        else if (_controlInformation && entity.RowVersion is not null)
        {
            writer.WriteString("@odata.etag", ETag(entity.RowVersion));
        }

        var columns = WriteProperties(writer, definition, entity.Attributes.Keys, key => entity.Attributes.TryGetValue(key, out var v) ? (true, v) : (false, null),
            name => entity.FormattedValues.TryGetValue(name, out var f) ? f : null);

        expands ??= [];
        if (_full is not null)
        {
            links ??= NavigationLinks.OfHeldLookups;
            _full.WriteNavigationLinks(writer, definition, entity.Id, columns, links.All, expands, links.ExpandedCollections);
        }

        foreach (var expand in expands)
        {
            WriteExpanded(writer, entity, expand, definition, entity.Id);
        }

        extra?.Invoke(writer);
        writer.WriteEndObject();
    }

    /// <summary>With odata.metadata=full, the links an expanded collection-valued navigation property is written after.</summary>
    public void WriteLinksOf(Utf8JsonWriter writer, EntityDefinition definition, Guid id, string navigation) =>
        _full?.WriteLinks(writer, definition, id, navigation);

    /// <summary>With odata.metadata=full, the type annotation of a value of the column (FetchXML's linked "alias.column").</summary>
    public void WriteTypeOf(Utf8JsonWriter writer, string property, AttributeDefinition attribute)
    {
        if (_full is not null)
        {
            FullMetadata.WriteTypeOf(writer, property, attribute);
        }
    }

    public static string ETag(string rowVersion) => $"W/\"{rowVersion}\"";

    /// <summary>One expanded lookup: the related record its link found, or null; <paramref name="parent"/> holds the lookup.</summary>
    private void WriteExpanded(Utf8JsonWriter writer, Entity entity, ExpandedNavigation expand, EntityDefinition parent, Guid parentId)
    {
        _full?.WriteLinks(writer, parent, parentId, expand.NavigationProperty);
        writer.WritePropertyName(expand.NavigationProperty);
        if (expand.ReferenceColumn is { } lookup)
        {
            WriteReference(writer, entity, expand, lookup);
            return;
        }

        foreach (var link in expand.Links)
        {
            var idKey = link.Alias + "." + link.Target.PrimaryIdAttribute;
            if (entity.Attributes.TryGetValue(idKey, out var id) && id is AliasedValue { Value: not null } linkedId)
            {
                writer.WriteStartObject();
                var etag = entity.Attributes.TryGetValue(link.Alias + ".versionnumber", out var version) && version is AliasedValue { Value: long v }
                    ? ETag(v.ToString(CultureInfo.InvariantCulture))
                    : null;
                var relatedId = linkedId.Value is Guid guid ? guid : Guid.Empty;
                if (_full is not null)
                {
                    _full.WriteIdentity(writer, link.Target, relatedId, etag);
                }
                else if (_controlInformation)
                {
                    if (expand.Links.Count > 1)
                    {
                        writer.WriteString("@odata.type", FullMetadata.TypeName(link.Target));
                    }

                    if (etag is not null)
                    {
                        writer.WriteString("@odata.etag", etag);
                    }
                }

                var prefix = link.Alias + ".";
                var columns = WriteProperties(writer, link.Target,
                    entity.Attributes.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..]),
                    key => entity.Attributes.TryGetValue(prefix + key, out var a) && a is AliasedValue aliased ? (true, aliased.Value) : (false, null),
                    name => entity.FormattedValues.TryGetValue(prefix + name, out var f) ? f : null);
                _full?.WriteNavigationLinks(writer, link.Target, relatedId, columns, expand.SelectsAll, expand.Nested, []);
                foreach (var nested in expand.Nested)
                {
                    WriteExpanded(writer, entity, nested, link.Target, relatedId); // its link's columns are the record's too, under their own alias
                }

                writer.WriteEndObject();
                return;
            }
        }

        writer.WriteNullValue();
    }

    /// <summary>A lookup expanded as nav/$ref: {"@odata.id":"…/systemusers(id)"} from the record's own value, or null.</summary>
    private void WriteReference(Utf8JsonWriter writer, Entity entity, ExpandedNavigation expand, string lookup)
    {
        if (entity.Attributes.TryGetValue(lookup, out var value) && value is EntityReference reference
            && expand.Links.FirstOrDefault(l => l.Target.LogicalName == reference.LogicalName) is { } target)
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.id", $"{serviceRoot}{target.Target.EntitySetName}({reference.Id})");
            writer.WriteEndObject();
            return;
        }

        writer.WriteNullValue();
    }

    /// <summary>
    /// The record's columns in the table's column order. A record holds a handful of its table's columns, so they are
    /// looked up by the names it has rather than each column of the table in the record.
    /// </summary>
    /// <returns>The record's columns in table order (full metadata links the lookups among them).</returns>
    private List<AttributeDefinition> WriteProperties(Utf8JsonWriter writer, EntityDefinition definition, IEnumerable<string> names,
        Func<string, (bool Found, object? Value)> valueOf, Func<string, string?> formattedOf)
    {
        var columns = InTableOrder(definition, names);
        foreach (var attribute in columns)
        {
            if (!attribute.IsStored || attribute.AttributeType == AttributeTypeCode.EntityName)
            {
                continue; // name companions and owneridtype are not properties of the Web API's entity types
            }

            var (found, value) = valueOf(attribute.LogicalName);
            if (!found)
            {
                continue;
            }

            if (!attribute.IsValidForRead)
            {
                value = null;
            }

            if (attribute.IsLookup)
            {
                WriteLookup(writer, attribute, value as EntityReference);
                continue;
            }

            var formatted = value is null ? null : formattedOf(attribute.LogicalName);
            if (_formatted && formatted is not null)
            {
                writer.WriteString(attribute.LogicalName + "@" + Annotations.FormattedValue, formatted);
            }

            if (_full is not null && value is not null)
            {
                FullMetadata.WriteTypeOf(writer, attribute.LogicalName, attribute);
            }

            writer.WritePropertyName(attribute.LogicalName);
            WriteValue(writer, value, ieee754Compatible);
            if (value is not null && attribute.LogicalName == definition.PrimaryIdAttribute && IsPrincipal(definition))
            {
                // systemuser and team inherit principal's key, so Dataverse writes ownerid beside systemuserid or teamid,
                // with the same value, though no $select names it (Join tables using OData: "Both systemuserid and ownerid").
                if (_full is not null)
                {
                    FullMetadata.WriteTypeOf(writer, Edm.EdmModelBuilder.PrincipalKey, attribute);
                }

                writer.WritePropertyName(Edm.EdmModelBuilder.PrincipalKey);
                WriteValue(writer, value, ieee754Compatible);
            }
        }

        return columns;
    }

    private static bool IsPrincipal(EntityDefinition definition) =>
        definition.LogicalName is MetadataCatalog.SystemUser or MetadataCatalog.Team;

    /// <summary>
    /// The columns a record holds, in the table's order. The records of a page hold the same columns in the same
    /// order, so the last record's sorted columns are reused when the next one names the same.
    /// </summary>
    private List<AttributeDefinition> InTableOrder(EntityDefinition definition, IEnumerable<string> names)
    {
        if (ReferenceEquals(_sortedFor, definition) && SameNames(names, _sortedNames))
        {
            return _sorted;
        }

        var keys = new List<string>();
        var present = new List<AttributeDefinition>();
        foreach (var name in names)
        {
            keys.Add(name);
            if (definition.TryGetAttribute(name, out var column))
            {
                present.Add(column);
            }
        }
        present.Sort((x, y) => definition.Ordinal(x.LogicalName).CompareTo(definition.Ordinal(y.LogicalName)));
        (_sortedFor, _sortedNames, _sorted) = (definition, keys, present);
        return present;
    }

    private static bool SameNames(IEnumerable<string> names, List<string> last)
    {
        var i = 0;
        foreach (var name in names)
        {
            if (i == last.Count || !string.Equals(name, last[i], StringComparison.Ordinal))
            {
                return false;
            }
            i++;
        }
        return i == last.Count;
    }

    private void WriteLookup(Utf8JsonWriter writer, AttributeDefinition attribute, EntityReference? reference)
    {
        var name = "_" + attribute.LogicalName + "_value";
        if (reference is not null)
        {
            if (_formatted && reference.Name is not null)
            {
                writer.WriteString(name + "@" + Annotations.FormattedValue, reference.Name);
            }

            if (_navigationName)
            {
                writer.WriteString(name + "@" + Annotations.AssociatedNavigationProperty, attribute.LogicalName);
            }

            if (_lookupName)
            {
                writer.WriteString(name + "@" + Annotations.LookupLogicalName, reference.LogicalName);
            }

            if (_full is not null)
            {
                writer.WriteString(name + "@odata.type", "#Guid");
            }

            writer.WriteString(name, reference.Id);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <param name="ieee754Compatible">An Int64 as a string, as OData's IEEE754Compatible=true asks (JavaScript numbers lose digits past 2^53).</param>
    public static void WriteValue(Utf8JsonWriter writer, object? value, bool ieee754Compatible = false)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l when ieee754Compatible:
                writer.WriteStringValue(l.ToString(CultureInfo.InvariantCulture));
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case Guid g:
                writer.WriteStringValue(g);
                break;
            case double x:
                writer.WriteNumberValue(x);
                break;
            case DateTime d:
                writer.WriteStringValue(d.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                break;
            case OptionSetValue o:
                writer.WriteNumberValue(o.Value);
                break;
            case EntityReference r:
                writer.WriteStringValue(r.Id);
                break;
            default:
                throw new InvalidOperationException($"No JSON form for a {value.GetType().Name}.");
        }
    }
}
