using System.Globalization;
using System.Xml;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Query.Aggregates;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Query.FetchXml;

/// <summary>A parsed &lt;fetch&gt;: a QueryExpression (with its column aliases, if any), or an AggregateQuery when aggregate="true".</summary>
public sealed record ParsedFetch(QueryExpression? Query, AggregateQuery? Aggregate, FetchColumnAliases? ColumnAliases = null);

/// <summary>
/// Parses FetchXML (untrusted input) with XmlReader: no DTD (a DOCTYPE is an error), no external resources.
/// The result uses the same QueryExpression model as OData, so security and keyset paging apply unchanged.
/// Unknown elements, attributes and operators are InvalidArgument faults (400), never a 500.
/// </summary>
public static class FetchXmlParser
{
    private const int MaxLength = 1 << 20;

    public static ParsedFetch Parse(string fetchXml)
    {
        if (string.IsNullOrWhiteSpace(fetchXml) || fetchXml.Length > MaxLength)
        {
            throw Invalid("The fetchXml parameter is empty or too long.");
        }
        try
        {
            var root = Load(fetchXml);
            return new FetchReader(root).Read();
        }
        catch (XmlException e)
        {
            throw Invalid($"The FetchXML is not well-formed: {e.Message}");
        }
    }

    /// <summary>Reads the document into System.Xml's DOM through a reader that refuses DTDs and resolves nothing.</summary>
    internal static XmlElement Load(string xml)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            MaxCharactersInDocument = MaxLength,
        };
        using var text = new StringReader(xml);
        using var reader = XmlReader.Create(text, settings);
        var document = new XmlDocument { XmlResolver = null };
        document.Load(reader);
        return document.DocumentElement ?? throw Invalid("The FetchXML has no root element.");
    }

    internal static OrganizationServiceFaultException Invalid(string message) => DataverseFault.InvalidArgument(message);

    internal static bool Bool(XmlElement element, string name) =>
        element.GetAttribute(name) is { Length: > 0 } text
            ? text is "true" or "1" || (text is "false" or "0" ? false : throw Invalid($"The attribute '{name}' of <{element.Name}> must be true or false, not '{text}'."))
            : false;

    internal static int? Int(XmlElement element, string name) =>
        element.GetAttribute(name) is { Length: > 0 } text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw Invalid($"The attribute '{name}' of <{element.Name}> must be a positive integer, not '{text}'.")
            : null;

    internal static string Required(XmlElement element, string name) =>
        element.GetAttribute(name) is { Length: > 0 } text ? text : throw Invalid($"The <{element.Name}> element needs a '{name}' attribute.");

    internal static void Allow(XmlElement element, params string[] attributes)
    {
        foreach (XmlAttribute attribute in element.Attributes)
        {
            if (Array.IndexOf(attributes, attribute.Name) < 0)
            {
                throw Invalid($"The attribute '{attribute.Name}' is not valid on <{element.Name}> in FetchXML.");
            }
        }
    }

    internal static IEnumerable<XmlElement> Children(XmlElement element)
    {
        foreach (XmlNode node in element.ChildNodes)
        {
            switch (node)
            {
                case XmlElement child:
                    yield return child;
                    break;
                case XmlText or XmlCDataSection when !string.IsNullOrWhiteSpace(node.Value):
                    throw Invalid($"The <{element.Name}> element cannot hold text.");
            }
        }
    }
}
