using ChannelAccounts.Server.WebApi.Errors;

namespace ChannelAccounts.Server.WebApi.Metadata;

/// <summary>
/// The query options a metadata request may carry: $select (checked against the type's properties), $filter (see
/// <see cref="MetadataFilter{T}"/>) and $expand=OptionSet. Any other $-option is refused; annotations=true is ignored.
/// </summary>
public sealed class MetadataQuery
{
    private readonly HashSet<string>? _select;

    private MetadataQuery(IReadOnlyList<string>? select, string? filter, bool expandOptionSet, MetadataQuery? attributes = null)
    {
        Select = select;
        _select = select?.ToHashSet(StringComparer.Ordinal);
        Filter = filter;
        ExpandOptionSet = expandOptionSet;
        Attributes = attributes;
    }

    /// <summary>$expand=Attributes(...) of an EntityMetadata: the columns' own query ($select, $filter); null when not expanded.</summary>
    public MetadataQuery? Attributes { get; }

    public IReadOnlyList<string>? Select { get; }

    public string? Filter { get; }

    public bool ExpandOptionSet { get; }

    /// <summary>Whether a property is written: every one without $select; MetadataId always.</summary>
    public bool Wants(string property) => _select is null || property == "MetadataId" || _select.Contains(property);

    /// <summary>Writes the property when $select asks for it (or selects nothing).</summary>
    public void WriteString(System.Text.Json.Utf8JsonWriter writer, string property, string? value)
    {
        if (Wants(property))
        {
            writer.WriteString(property, value);
        }
    }

    /// <summary>Writes the property when $select asks for it (or selects nothing).</summary>
    public void WriteBoolean(System.Text.Json.Utf8JsonWriter writer, string property, bool value)
    {
        if (Wants(property))
        {
            writer.WriteBoolean(property, value);
        }
    }

    /// <summary>The context URL's property list: "(LogicalName,SchemaName)", with "OptionSet()" when expanded; empty when neither.</summary>
    public string ContextSelection()
    {
        var parts = (Select ?? []).ToList();
        if (ExpandOptionSet)
        {
            parts.Add("OptionSet()");
        }

        if (Attributes is { } attributes)
        {
            parts.Add("Attributes" + (attributes.ContextSelection() is { Length: > 0 } nested ? nested : "()"));
        }

        return parts.Count == 0 ? "" : "(" + string.Join(',', parts) + ")";
    }

    /// <param name="typeName">The metadata type, for error messages ("EntityMetadata").</param>
    /// <param name="selectable">The properties $select may name.</param>
    /// <param name="filterable">Whether $filter is allowed (collections only).</param>
    /// <param name="expandable">Whether $expand=OptionSet is allowed (a cast to a choice column type).</param>
    /// <param name="attributesExpandable">Whether $expand=Attributes(...) is allowed (EntityMetadata).</param>
    public static MetadataQuery Parse(IQueryCollection query, string typeName, IReadOnlySet<string> selectable, bool filterable, bool expandable,
        bool attributesExpandable = false)
    {
        foreach (var key in query.Keys.Where(k => k.StartsWith('$')))
        {
            if (key is not ("$select" or "$filter" or "$expand") || (key == "$filter" && !filterable))
            {
                throw WebApiException.BadRequest($"The query option '{key}' is not supported on {typeName}.");
            }
        }

        IReadOnlyList<string>? select = null;
        if (query.TryGetValue("$select", out var selectText))
        {
            select = selectText.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            foreach (var name in select.Where(n => !selectable.Contains(n)))
            {
                throw NoProperty(name, typeName);
            }
        }

        var expand = false;
        MetadataQuery? attributes = null;
        if (query.TryGetValue("$expand", out var expandText))
        {
            var text = expandText.ToString().Trim();
            if (attributesExpandable && (text == "Attributes" || (text.StartsWith("Attributes(", StringComparison.Ordinal) && text.EndsWith(')'))))
            {
                attributes = Parse(NestedOptions(text["Attributes".Length..]), AttributeMetadataTypes.Base, AttributeMetadataTypes.SelectableOn(null),
                    filterable: true, expandable: false);
            }
            else if (text != "OptionSet")
            {
                throw WebApiException.BadRequest($"The $expand '{expandText}' is not supported; " +
                    (attributesExpandable ? "on EntityMetadata only $expand=Attributes (with $select and $filter inside) is." : "only $expand=OptionSet on a choice column cast is."));
            }
            else
            {
                expand = expandable ? true : throw NoProperty("OptionSet", typeName);
            }
        }

        return new MetadataQuery(select, query.TryGetValue("$filter", out var filter) ? filter.ToString() : null, expand, attributes);
    }

    /// <summary>"($select=a,b;$filter=x eq 'y')" as the query options of its own request.</summary>
    private static QueryCollection NestedOptions(string parenthesised)
    {
        var options = new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>(StringComparer.Ordinal);
        var inner = parenthesised.Length >= 2 ? parenthesised[1..^1] : "";
        foreach (var option in Query.QueryText.Split(inner, ';', "$expand").Select(o => o.Trim()).Where(o => o.Length > 0))
        {
            var eq = option.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? option : option[..eq];
            if (!name.StartsWith('$'))
            {
                throw WebApiException.BadRequest($"The option '{name}' inside $expand=Attributes(...) is not a query option; use $select or $filter.");
            }

            if (!options.TryAdd(name, eq < 0 ? "" : option[(eq + 1)..]))
            {
                throw WebApiException.BadRequest($"The query option '{name}' appears twice inside $expand=Attributes(...).");
            }
        }

        return new QueryCollection(options);
    }

    public static WebApiException NoProperty(string name, string typeName) =>
        WebApiException.BadRequest($"Could not find a property named '{name}' on type 'Microsoft.Dynamics.CRM.{typeName}'.");
}
