using System.Text.RegularExpressions;
using ChannelAccounts.Server.WebApi.Errors;

namespace ChannelAccounts.Server.WebApi.Metadata;

/// <summary>
/// An EntityDefinitions path, parsed by hand because EntityDefinitions is not in the data model:
/// EntityDefinitions, EntityDefinitions(key), EntityDefinitions(key)/Attributes[(key)][/Microsoft.Dynamics.CRM.XAttributeMetadata],
/// EntityDefinitions(key)/Keys, EntityDefinitions(key)/OneToManyRelationships|ManyToOneRelationships|ManyToManyRelationships, where a key is LogicalName='name' or a MetadataId GUID. Anything else is no resource.
/// </summary>
public sealed partial record MetadataPath(string? EntityName, Guid? EntityId, bool Attributes, string? AttributeName, Guid? AttributeId, string? Cast,
    bool Keys = false, string? Relationships = null)
{
    public const string Segment = "EntityDefinitions";

    public bool IsEntityCollection => EntityName is null && EntityId is null;

    public bool IsAttributeCollection => Attributes && AttributeName is null && AttributeId is null;

    public static bool Matches(string path) => MetadataResponse.IsUnder(path, Segment);

    public static MetadataPath Parse(string path, string requestUri)
    {
        var match = PathPattern().Match(path);
        if (!match.Success && HasMalformedKey(path))
        {
            // The resource exists; its key is malformed, as a bad key of an entity set is.
            throw WebApiException.BadRequest("Bad Request - Error in query syntax. A key of EntityDefinitions or Attributes is " +
                "LogicalName='name' or a MetadataId GUID, as in EntityDefinitions(LogicalName='msdyn_ocwhatsappchannelaccount').");
        }

        if (!match.Success)
        {
            throw WebApiException.NoResource(requestUri);
        }

        return new MetadataPath(
            Value(match, "entity"), Id(match, "entityid"), match.Groups["attributes"].Success,
            Value(match, "attribute"), Id(match, "attributeid"), Value(match, "cast"), match.Groups["keys"].Success,
            Value(match, "relationships"));
    }

    private static string? Value(Match match, string group) => match.Groups[group].Success ? match.Groups[group].Value : null;

    private static Guid? Id(Match match, string group) => match.Groups[group].Success ? Guid.Parse(match.Groups[group].Value) : null;

    [GeneratedRegex("""
        ^EntityDefinitions
        (?:\((?:LogicalName='(?<entity>[A-Za-z0-9_]+)'|(?<entityid>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}))\)
          (?<attributes>/Attributes
            (?:\((?:LogicalName='(?<attribute>[A-Za-z0-9_]+)'|(?<attributeid>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}))\))?
            (?:/Microsoft\.Dynamics\.CRM\.(?<cast>[A-Za-z]+AttributeMetadata))?
          |(?<keys>/Keys)
          |/(?<relationships>OneToManyRelationships|ManyToOneRelationships|ManyToManyRelationships)
          )?
        )?$
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();

    private static bool HasMalformedKey(string path) =>
        KeyedPattern().Match(path) is { Success: true } keyed
        && keyed.Groups.Cast<Group>().Skip(1).Any(key => key.Success && !KeyPattern().IsMatch(key.Value));

    // EntityDefinitions(...) and Attributes(...) with whatever key text, and anything after them.
    [GeneratedRegex(@"^EntityDefinitions\((?<entity>[^)]*)\)(?:/Attributes(?:\((?<attribute>[^)]*)\))?)?(?:/.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyedPattern();

    [GeneratedRegex(@"^(?:LogicalName='[A-Za-z0-9_]+'|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
