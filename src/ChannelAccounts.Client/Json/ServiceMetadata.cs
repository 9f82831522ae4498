using System.Xml.Linq;

namespace ChannelAccounts.Client.Json;

/// <summary>
/// What the client needs of $metadata (CSDL): each table's entity set, key, and property types; a lookup column x
/// is the property _x_value. Read once per client.
/// </summary>
internal sealed class ServiceMetadata
{
    private readonly Dictionary<string, TableShape> _tables = new(StringComparer.Ordinal);

    public static ServiceMetadata Parse(XDocument csdl)
    {
        var metadata = new ServiceMetadata();
        XNamespace edm = "http://docs.oasis-open.org/odata/ns/edm";
        var sets = csdl.Descendants(edm + "EntitySet").ToDictionary(
            s => ((string)s.Attribute("EntityType")!).Split('.').Last(), s => (string)s.Attribute("Name")!, StringComparer.Ordinal);
        foreach (var type in csdl.Descendants(edm + "EntityType"))
        {
            var name = (string)type.Attribute("Name")!;
            var key = type.Element(edm + "Key")?.Element(edm + "PropertyRef")?.Attribute("Name")?.Value;
            var properties = type.Elements(edm + "Property").ToDictionary(
                p => (string)p.Attribute("Name")!, p => (string)p.Attribute("Type")!, StringComparer.Ordinal);
            metadata._tables[name] = new TableShape(name, sets.GetValueOrDefault(name), key, properties,
                (string?)type.Attribute("BaseType"));
        }

        return metadata;
    }

    public TableShape Table(string logicalName) =>
        _tables.TryGetValue(logicalName, out var table)
            ? table
            : throw new NotSupportedException($"The service's $metadata has no table '{logicalName}'.");

    public string EntitySet(string logicalName) =>
        Table(logicalName).EntitySet ?? throw new NotSupportedException($"The table '{logicalName}' has no entity set in the service's $metadata.");

    /// <summary>The table whose entity set this is, for "@odata.id" values and OData-EntityId headers.</summary>
    public string? LogicalNameOfSet(string entitySet) => _tables.Values.FirstOrDefault(t => t.EntitySet == entitySet)?.LogicalName;
}

internal sealed record TableShape(string LogicalName, string? EntitySet, string? Key, Dictionary<string, string> Properties, string? BaseType)
{
    public string PrimaryIdAttribute => Key ?? LogicalName + "id";

    public bool IsLookup(string column) => Properties.ContainsKey("_" + column + "_value");

    /// <summary>The Edm type of a column ("Edm.String"), or null when the table does not declare it.</summary>
    public string? EdmType(string column) => Properties.GetValueOrDefault(column);

    /// <summary>The name a column is selected, filtered and ordered by: _x_value for a lookup.</summary>
    public string ODataName(string column) => IsLookup(column) ? "_" + column + "_value" : column;
}
