using System.Text.Json;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Server.WebApi.Edm;
using Microsoft.OData.Edm;

namespace ChannelAccounts.Server.WebApi.Json;

/// <summary>
/// The control information odata.metadata=full adds to a record, in the order and form Dataverse (ASP.NET OData over
/// Microsoft.OData.Core) writes it: @odata.type, @odata.id (absolute), @odata.etag, @odata.editLink (relative to the
/// service root); "x@odata.type" before each value whose JSON form does not tell its EDM type; and, after the
/// properties, "nav@odata.associationLink" and "nav@odata.navigationLink" for each navigation property not expanded —
/// every one of the type's when nothing narrowed the columns, else those of the lookups the record holds (a $select of
/// _x_value selects x) — then the expanded ones, each after its own two links.
/// </summary>
public sealed class FullMetadata(string serviceRoot, IEdmModel model)
{
    private readonly Dictionary<EntityDefinition, IReadOnlyList<string>> _navigations = new(ReferenceEqualityComparer.Instance);

    public static string TypeName(EntityDefinition definition) => "#" + EdmModelBuilder.Namespace + "." + definition.LogicalName;

    public void WriteIdentity(Utf8JsonWriter writer, EntityDefinition definition, Guid id, string? etag)
    {
        writer.WriteString("@odata.type", TypeName(definition));
        var path = WebApiContext.EntityPath(definition, id);
        writer.WriteString("@odata.id", serviceRoot + path);
        if (etag is not null)
        {
            writer.WriteString("@odata.etag", etag);
        }

        // ASP.NET OData sets the id and leaves the edit link to ODataLib's conventions, which write it relative.
        writer.WriteString("@odata.editLink", path);
    }

    /// <summary>
    /// The type annotation of a column's non-null value, or null where JSON itself tells the type: ODataLib's
    /// JsonSharedUtils.ValueTypeMatchesJsonType leaves out Int32, String and Boolean (and finite Double) values.
    /// </summary>
    public static string? TypeOf(AttributeDefinition attribute) => attribute.IsLookup
        ? "#Guid"
        : EdmModelBuilder.PrimitiveTypeOf(attribute) switch
        {
            EdmPrimitiveTypeKind.Guid => "#Guid",
            EdmPrimitiveTypeKind.Int64 => "#Int64",
            EdmPrimitiveTypeKind.DateTimeOffset => "#DateTimeOffset",
            EdmPrimitiveTypeKind.Date => "#Date",
            EdmPrimitiveTypeKind.Decimal => "#Decimal",
            _ => null,
        };

    public static void WriteTypeOf(Utf8JsonWriter writer, string property, AttributeDefinition attribute)
    {
        if (TypeOf(attribute) is { } type)
        {
            writer.WriteString(property + "@odata.type", type);
        }
    }

    /// <summary>The links of one navigation property of one record.</summary>
    public void WriteLinks(Utf8JsonWriter writer, EntityDefinition definition, Guid id, string navigation)
    {
        var property = serviceRoot + WebApiContext.EntityPath(definition, id) + "/" + navigation;
        writer.WriteString(navigation + "@odata.associationLink", property + "/$ref");
        writer.WriteString(navigation + "@odata.navigationLink", property);
    }

    /// <summary>The links of the record's navigation properties that are not expanded (those are written with their value).</summary>
    /// <param name="columns">The record's columns, in the order they were written.</param>
    /// <param name="all">Whether every navigation property of the type is linked (no $select), or only the lookups among <paramref name="columns"/>.</param>
    public void WriteNavigationLinks(Utf8JsonWriter writer, EntityDefinition definition, Guid id, IEnumerable<AttributeDefinition> columns,
        bool all, IReadOnlyList<ExpandedNavigation> expandedLookups, IReadOnlyList<string> expandedCollections)
    {
        var navigations = NavigationsOf(definition);
        var linked = all
            ? navigations
            : columns.Where(c => c.IsLookup && navigations.Contains(c.LogicalName)).Select(c => c.LogicalName);
        foreach (var navigation in linked)
        {
            if (!expandedCollections.Contains(navigation) && !expandedLookups.Any(e => e.NavigationProperty == navigation))
            {
                WriteLinks(writer, definition, id, navigation);
            }
        }
    }

    /// <summary>The type's navigation properties in the model's order (its base types' first), as ASP.NET OData lists them.</summary>
    private IReadOnlyList<string> NavigationsOf(EntityDefinition definition)
    {
        if (!_navigations.TryGetValue(definition, out var names))
        {
            var type = model.FindDeclaredType(EdmModelBuilder.Namespace + "." + definition.LogicalName) as IEdmEntityType;
            _navigations[definition] = names = type?.NavigationProperties().Select(n => n.Name).ToList() ?? [];
        }

        return names;
    }
}

/// <summary>Which navigation properties of a top-level record odata.metadata=full links, besides its expanded lookups.</summary>
/// <param name="All">No $select narrowed the record: every navigation property of its type; else the lookups it holds.</param>
/// <param name="ExpandedCollections">The collection-valued navigation properties written expanded (so not as links alone).</param>
public sealed record NavigationLinks(bool All, IReadOnlyList<string> ExpandedCollections)
{
    /// <summary>The links of a record read by a query (or written with return=representation) with these options.</summary>
    public static NavigationLinks Of(TranslatedQuery translated) =>
        new(translated.SelectedProperties.Count == 0, translated.CollectionExpands.Select(e => e.NavigationProperty).ToList());

    /// <summary>A record narrowed by a $select (or a FetchXML row, by its attributes): the lookups it holds.</summary>
    public static readonly NavigationLinks OfHeldLookups = new(false, []);

    /// <summary>A record no $select narrowed, without expanded collections: every navigation property of its type.</summary>
    public static readonly NavigationLinks AllOfType = new(true, []);
}
