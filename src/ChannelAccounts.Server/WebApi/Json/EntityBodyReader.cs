using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Server.WebApi.Edm;
using ChannelAccounts.Server.WebApi.Errors;

namespace ChannelAccounts.Server.WebApi.Json;

/// <summary>
/// Reads a record from a request body as the Web API defines it: properties by logical name, lookups through
/// "nav@odata.bind", annotations ignored. Every mistake is a 400 that names the property and what was expected.
/// </summary>
public sealed partial class EntityBodyReader(MetadataCatalog catalog)
{
    public Entity Read(EntityDefinition entity, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw WebApiException.Payload(entity.EntitySetName, $"The request body must be a JSON object, not {body.ValueKind}.");
        }

        var result = new Entity(entity.LogicalName);
        foreach (var property in body.EnumerateObject())
        {
            ReadProperty(entity, result, property);
        }

        if (result.Attributes.TryGetValue(entity.PrimaryIdAttribute, out var id) && id is Guid guid)
        {
            result.Id = guid;
        }

        return result;
    }

    /// <summary>Reads one property value for `PUT entityset(id)/property` with body {"value": …}.</summary>
    public object? ReadValue(EntityDefinition entity, AttributeDefinition attribute, JsonElement value) =>
        Convert(entity, attribute, value);

    private void ReadProperty(EntityDefinition entity, Entity result, JsonProperty property)
    {
        var name = property.Name;
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0 && !AnnotationTerm().IsMatch(name[(at + 1)..]))
        {
            throw WebApiException.Payload(entity.EntitySetName,
                $"'{name}' is not a valid annotation: after '@' comes a qualified term such as odata.bind or odata.type.");
        }
        if (at == 0)
        {
            if (name == "@odata.type")
            {
                CheckType(entity, property.Value);
            }

            return; // instance annotations (@odata.etag, @odata.context) carry nothing to store
        }

        if (at > 0)
        {
            var navigation = name[..at];
            if (name[(at + 1)..] == "odata.bind")
            {
                result[Lookup(entity, navigation).LogicalName] = Bind(entity, Lookup(entity, navigation), property.Value);
            }
            else if (LookupOfValueProperty(entity, navigation) is null) // _x_value exists too: a read record sent back annotates it
            {
                var annotated = EdmProperty(entity, navigation, allowLookups: true); // a property annotation for a property that must exist
                if (name[(at + 1)..] == "odata.type")
                {
                    CheckPropertyType(entity, annotated, name, property.Value);
                }
            }

            return;
        }

        if (LookupOfValueProperty(entity, name) is { } computedOf)
        {
            // _x_value is computed and read-only: Dataverse refuses it in a body rather than ignore the change.
            throw WebApiException.Payload(entity.EntitySetName,
                "CRM do not support direct update of Entity Reference properties, Use Navigation properties instead. " +
                (computedOf.IsValidForCreate || computedOf.IsValidForUpdate
                    ? $"Set '{computedOf.LogicalName}@odata.bind' to a URI such as \"/{TargetSets(computedOf)[0]}(<id>)\" in place of '{name}'."
                    : $"'{computedOf.LogicalName}' is set by the platform and cannot be written: leave '{name}' out."));
        }

        if (NavigationPartners.OneToMany(catalog, entity, name) is ({ } related, { } relatedLookup))
        {
            throw WebApiException.Payload(entity.EntitySetName,
                $"'{name}' is the collection of {related.LogicalName} records whose {relatedLookup.LogicalName} is this record; deep insert (creating them inside " +
                "this body) is not supported. " + Endpoints.OneToManyLinks.WhatToDo(entity, "<id>", related, relatedLookup, "a new record"));
        }

        var attribute = EdmProperty(entity, name, allowLookups: true);
        if (attribute.IsLookup)
        {
            throw WebApiException.Payload(entity.EntitySetName,
                $"The navigation property '{name}' must be set with '{name}@odata.bind' and a URI such as \"/{TargetSets(attribute)[0]}(<id>)\"; deep insert is not supported.");
        }

        result[attribute.LogicalName] = Convert(entity, attribute, property.Value);
    }

    /// <summary>The lookup whose read-only _x_value property the name is, or null.</summary>
    private static AttributeDefinition? LookupOfValueProperty(EntityDefinition entity, string name) =>
        name.StartsWith('_') && name.EndsWith("_value", StringComparison.Ordinal) && name.Length > "__value".Length
        && entity.TryGetAttribute(name[1..^6], out var lookup) && lookup.IsLookup
            ? lookup
            : null;

    /// <summary>@odata.type may restate the entity's own type (with or without '#'), nothing else.</summary>
    private static void CheckType(EntityDefinition entity, JsonElement value)
    {
        var expected = "Microsoft.Dynamics.CRM." + entity.LogicalName;
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.TrimStart('#') : null;
        if (!string.Equals(text, expected, StringComparison.Ordinal))
        {
            throw WebApiException.Payload(entity.EntitySetName,
                $"A resource with type '{Literal(value)}' was found, but it is not assignable to the expected type '{expected}'.");
        }
    }

    /// <summary>
    /// A property's @odata.type names its own primitive type ("Edm.String", "#String", …), as Microsoft.OData.Core
    /// requires; a lookup's is a navigation property, typed by its @odata.bind instead.
    /// </summary>
    private static void CheckPropertyType(EntityDefinition entity, AttributeDefinition attribute, string name, JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.TrimStart('#') : null;
        var expected = attribute.IsLookup ? null : EdmModelBuilder.PrimitiveTypeOf(attribute).ToString();
        if (text is not null && expected is not null
            && (text.Equals("Edm." + expected, StringComparison.Ordinal) || text.Equals(expected, StringComparison.Ordinal)))
        {
            return;
        }

        throw WebApiException.Payload(entity.EntitySetName, expected is null
            ? $"'{name}' annotates the navigation property '{attribute.LogicalName}'; set it with '{attribute.LogicalName}@odata.bind' and no type annotation."
            : $"'{name}' is {Literal(value)}, but '{attribute.LogicalName}' is of type 'Edm.{expected}'; send \"Edm.{expected}\" or leave the annotation out.");
    }

    private static AttributeDefinition EdmProperty(EntityDefinition entity, string name, bool allowLookups)
    {
        if (entity.TryGetAttribute(name, out var attribute) && attribute.IsStored
            && attribute.AttributeType != AttributeTypeCode.EntityName && (allowLookups || !attribute.IsLookup))
        {
            return attribute;
        }

        throw new WebApiException(StatusCodes.Status400BadRequest, ErrorCodes.None,
            $"The property '{name}' does not exist on type 'Microsoft.Dynamics.CRM.{entity.LogicalName}'. Make sure to only use property names that are defined by the type or mark the type as open type.");
    }

    private static AttributeDefinition Lookup(EntityDefinition entity, string navigation)
    {
        if (entity.TryGetAttribute(navigation, out var attribute) && attribute.IsLookup)
        {
            return attribute;
        }

        throw WebApiException.Payload(entity.EntitySetName,
            $"An undeclared property '{navigation}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.");
    }

    private EntityReference? Bind(EntityDefinition entity, AttributeDefinition lookup, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || !EntityReferenceUri.TryParse(value.GetString()!, catalog, out var reference))
        {
            throw WebApiException.Payload(entity.EntitySetName,
                $"The value of '{lookup.LogicalName}@odata.bind' must be a URI such as \"/{TargetSets(lookup)[0]}(00000000-0000-0000-0000-000000000001)\", not {value.GetRawText()}.");
        }

        return Referable(entity, lookup, reference);
    }

    /// <summary>The reference, if the lookup may point to its table (an @odata.bind, a lookup's $ref); a 400 naming the tables it may otherwise.</summary>
    public EntityReference Referable(EntityDefinition entity, AttributeDefinition lookup, EntityReference reference) =>
        lookup.Targets.Contains(reference.LogicalName, StringComparer.Ordinal)
            ? reference
            : throw WebApiException.Payload(entity.EntitySetName,
                $"'{lookup.LogicalName}' can refer to {string.Join(" or ", TargetSets(lookup))}, not to '{catalog[reference.LogicalName].EntitySetName}'.");

    /// <summary>The entity sets a lookup may point to (systemusers, teams).</summary>
    public string[] TargetSets(AttributeDefinition lookup) =>
        lookup.Targets.Select(t => catalog.TryGetByLogicalName(t, out var e) ? e.EntitySetName : t).ToArray();

    private static object? Convert(EntityDefinition entity, AttributeDefinition attribute, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return attribute.AttributeType switch
        {
            AttributeTypeCode.String or AttributeTypeCode.Memo when value.ValueKind == JsonValueKind.String => value.GetString(),
            AttributeTypeCode.Integer when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) => i,
            AttributeTypeCode.BigInt when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var l) => l,
            AttributeTypeCode.State or AttributeTypeCode.Status or AttributeTypeCode.Picklist
                when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var o) => new OptionSetValue(o),
            AttributeTypeCode.Boolean when value.ValueKind is JsonValueKind.True or JsonValueKind.False => value.GetBoolean(),
            AttributeTypeCode.Uniqueidentifier when value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var g) => g,
            AttributeTypeCode.DateTime when value.ValueKind == JsonValueKind.String && TryParseDate(value.GetString()!, out var d) => d,
            _ => throw WebApiException.Payload(entity.EntitySetName,
                $"Cannot convert the literal '{Literal(value)}' to the expected type '{EdmTypeName(attribute)}' of property '{attribute.LogicalName}'."),
        };
    }

    private static bool TryParseDate(string text, out DateTime value)
    {
        // Edm.DateTimeOffset is ISO 8601 with T and an offset or Z (2026-01-31T08:00:00Z); a bare date is accepted for
        // date-only columns as Dataverse does. Other spellings .NET would read (a space for T, a local format) are not.
        if (IsoDateTime().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var offset))
        {
            value = offset.UtcDateTime;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>An annotation's term: a namespace-qualified name (odata.type, OData.Community.Display.V1.FormattedValue), optionally #qualified.</summary>
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+(#[A-Za-z_][A-Za-z0-9_]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex AnnotationTerm();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|[+-][0-9]{2}:[0-9]{2}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDateTime();

    private static string Literal(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    public static string EdmTypeName(AttributeDefinition attribute) => attribute.AttributeType switch
    {
        AttributeTypeCode.String or AttributeTypeCode.Memo => "Edm.String",
        AttributeTypeCode.Integer or AttributeTypeCode.State or AttributeTypeCode.Status or AttributeTypeCode.Picklist => "Edm.Int32",
        AttributeTypeCode.BigInt => "Edm.Int64",
        AttributeTypeCode.Boolean => "Edm.Boolean",
        AttributeTypeCode.Uniqueidentifier or AttributeTypeCode.Lookup or AttributeTypeCode.Owner => "Edm.Guid",
        AttributeTypeCode.DateTime => "Edm.DateTimeOffset",
        _ => "Edm.String",
    };
}
