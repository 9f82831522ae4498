using System.Text.RegularExpressions;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Server.WebApi.Errors;

namespace ChannelAccounts.Server.WebApi.Metadata;

/// <summary>
/// GET GlobalOptionSetDefinitions: the choices shared between tables. Every choice column of this catalog
/// (statecode, statuscode) has its own local option set, read through EntityDefinitions(…)/Attributes, so the
/// collection is empty and a named one is not found; clients that list them get an answer instead of a 404.
/// </summary>
public static partial class GlobalOptionSetDefinitionsEndpoint
{
    public const string Segment = "GlobalOptionSetDefinitions";

    private static readonly IReadOnlySet<string> Properties = new HashSet<string>(StringComparer.Ordinal)
    {
        "MetadataId", "Name", "OptionSetType", "IsGlobal", "IsCustomOptionSet", "IsManaged", "DisplayName", "Description",
    };

    public static bool Matches(string path) => MetadataResponse.IsUnder(path, Segment);

    public static async Task HandleAsync(WebApiContext api, string path)
    {
        var http = api.Http;
        var match = PathPattern().Match(path);
        if (!match.Success)
        {
            throw WebApiException.NoResource(http.Request.Path + http.Request.QueryString);
        }

        MetadataResponse.RequireGet(http, Segment);

        if (match.Groups["key"].Success)
        {
            throw new WebApiException(StatusCodes.Status404NotFound, ErrorCodes.ObjectDoesNotExist,
                $"Could not find a global option set with {match.Groups["key"].Value}; this server's choices are local to their columns " +
                "(EntityDefinitions(LogicalName='…')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$expand=OptionSet).");
        }

        var query = MetadataQuery.Parse(http.Request.Query, "OptionSetMetadataBase", Properties, filterable: false, expandable: false);
        await MetadataResponse.WriteAsync(api, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", api.MetadataUri(Segment + query.ContextSelection()));
            writer.WriteStartArray("value");
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    [GeneratedRegex("""^GlobalOptionSetDefinitions(?:\((?<key>Name='[A-Za-z0-9_]+'|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\))?(?:/Microsoft\.Dynamics\.CRM\.(?:OptionSetMetadata|BooleanOptionSetMetadata))?$""",
        RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();
}
