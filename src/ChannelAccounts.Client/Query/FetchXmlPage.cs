using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using ChannelAccounts.Client.Http;
using ChannelAccounts.Client.Json;
using ChannelAccounts.Sdk;

namespace ChannelAccounts.Client.Query;

/// <summary>
/// A RetrieveMultiple sent as GET set?fetchXml=… and its answer read back as the OData path reads its own: linked
/// columns as AliasedValue "alias.column", formatted values, and the paging annotations as MoreRecords and PagingCookie.
/// </summary>
internal sealed class FetchXmlPage
{
    private const string PagingCookieAnnotation = "@Microsoft.Dynamics.CRM.fetchxmlpagingcookie";
    private const string MoreRecordsAnnotation = "@Microsoft.Dynamics.CRM.morerecords";
    private const string TotalRecordCountAnnotation = "@Microsoft.Dynamics.CRM.totalrecordcount";
    private const string LimitExceededAnnotation = "@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded";

    private readonly TableShape _table;
    private readonly bool _aggregate;
    private readonly Dictionary<string, TableShape> _links = new(StringComparer.Ordinal);
    private readonly List<string> _columns = [];
    private readonly List<(string Alias, string Column)> _linkedColumns = [];
    private readonly Dictionary<string, string> _columnAliases = new(StringComparer.Ordinal);

    private FetchXmlPage(string fetchXml, ServiceMetadata metadata)
    {
        FetchXml = fetchXml;
        var fetch = XElement.Parse(fetchXml);
        _aggregate = (bool?)fetch.Attribute("aggregate") == true;
        var entity = fetch.Element("entity")
            ?? throw new ArgumentException("The FetchXML needs a <fetch> element holding one <entity> element.");
        _table = metadata.Table((string?)entity.Attribute("name") ?? throw new ArgumentException("The FetchXML <entity> element needs a name."));
        foreach (var attribute in entity.Elements("attribute"))
        {
            // <attribute name='createdby' alias='whocreated' /> comes back as "whocreated", an AliasedValue (aggregates aside).
            if (!_aggregate && (string?)attribute.Attribute("alias") is { Length: > 0 } alias && (string?)attribute.Attribute("name") is { } aliased && alias != aliased)
            {
                _columnAliases[alias] = aliased;
            }
        }
        _columns.AddRange(entity.Element("all-attributes") is null
            ? entity.Elements("attribute").Where(a => !_columnAliases.ContainsKey((string?)a.Attribute("alias") ?? "")).Select(a => (string?)a.Attribute("name")).OfType<string>()
            : _table.Properties.Keys.Select(EntityJson.ColumnOf)); // every property of the table, as the OData path returns them
        var index = 0;
        // Document order, nested links after the link they are in: the order the server numbers links without an alias.
        foreach (var link in entity.Descendants("link-entity"))
        {
            var name = (string?)link.Attribute("name") ?? "";
            index++;
            // The alias the server gives a link without one: the table's name and its position.
            var alias = (string?)link.Attribute("alias") is { Length: > 0 } given ? given : name + index.ToString(CultureInfo.InvariantCulture);
            _links[alias] = metadata.Table(name);
            _linkedColumns.AddRange(link.Elements("attribute").Select(a => (alias, (string?)a.Attribute("name") ?? "")));
        }
    }

    public string FetchXml { get; }

    public string Path => $"{_table.EntitySet}?fetchXml={Uri.EscapeDataString(FetchXml)}";

    public static FetchXmlPage Of(string fetchXml, ServiceMetadata metadata) => new(fetchXml, metadata);

    public EntityCollection Read(WebApiAnswer answer)
    {
        using var document = answer.Json();
        var root = document.RootElement;
        var entities = new List<Entity>();
        foreach (var record in root.GetProperty("value").EnumerateArray())
        {
            entities.Add(WithNulls(EntityJson.Read(record, _table, _links, _columnAliases)));
        }

        var more = root.TryGetProperty(MoreRecordsAnnotation, out var flag) && flag.ValueKind == JsonValueKind.True;
        return new EntityCollection(entities)
        {
            EntityName = _table.LogicalName,
            MoreRecords = more,
            PagingCookie = more && root.TryGetProperty(PagingCookieAnnotation, out var cookie) ? InnerCookie(cookie.GetString()) : null,
            TotalRecordCount = root.TryGetProperty(TotalRecordCountAnnotation, out var count) ? count.GetInt32() : -1,
            TotalRecordCountLimitExceeded = root.TryGetProperty(LimitExceededAnnotation, out var exceeded) && exceeded.ValueKind == JsonValueKind.True,
        };
    }

    /// <summary>FetchXML rows omit null columns; the columns asked for come back as null, as on the OData path.</summary>
    private Entity WithNulls(Entity entity)
    {
        if (_aggregate)
        {
            return entity; // an aggregate row holds its aliases only
        }

        foreach (var column in _columns.Where(c => !entity.Contains(c)))
        {
            entity[column] = null;
        }

        foreach (var (alias, column) in _columnAliases.Where(c => !entity.Contains(c.Key)))
        {
            entity[alias] = new AliasedValue(_table.LogicalName, column, null);
        }

        foreach (var (alias, column) in _linkedColumns.Where(c => !entity.Contains(c.Alias + "." + c.Column)))
        {
            entity[alias + "." + column] = new AliasedValue(_links[alias].LogicalName, column, null);
        }

        return entity;
    }

    /// <summary>
    /// &lt;cookie pagenumber="2" pagingcookie="%253ccookie page=…" /&gt; → the inner &lt;cookie page="1" …/&gt; decoded twice,
    /// the form Dataverse's SDK hands back and the next page's paging-cookie takes.
    /// </summary>
    private static string? InnerCookie(string? annotation)
    {
        if (annotation is null)
        {
            return null;
        }

        var encoded = (string?)XElement.Parse(annotation).Attribute("pagingcookie");
        return encoded switch
        {
            null => annotation,
            "" => null, // no keyset (a link repeats records): the next page is asked for by its number alone
            _ => Uri.UnescapeDataString(Uri.UnescapeDataString(encoded)),
        };
    }
}
