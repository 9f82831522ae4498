using System.Text.Json;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;
using ChannelAccounts.Server.WebApi.Errors;
using ChannelAccounts.Server.WebApi.Json;
using Microsoft.OData.UriParser;

namespace ChannelAccounts.Server.WebApi.Routing;

/// <summary>
/// An entity-typed function parameter given through an alias, as Dataverse documents it:
/// Target=@p1 with @p1={'@odata.id':'accounts(…)'} (single or double quotes, URL-encoded or not).
/// </summary>
public static class FunctionParameters
{
    public static EntityReference Reference(IEnumerable<OperationSegmentParameter> parameters, string name, IQueryCollection query,
        MetadataCatalog catalog, string operation)
    {
        var parameter = parameters.FirstOrDefault(p => p.Name == name)
            ?? throw WebApiException.BadRequest($"'{operation}' needs the parameter '{name}', e.g. {name}=@p1 with @p1={{'@odata.id':'msdyn_ocwhatsappchannelaccounts(<id>)'}}.");
        var text = parameter.Value switch
        {
            ParameterAliasNode alias when query.TryGetValue(alias.Alias, out var value) => value.ToString(),
            ParameterAliasNode alias => throw WebApiException.BadRequest($"The parameter alias {alias.Alias} of '{operation}' has no value in the query string."),
            ConstantNode constant => constant.LiteralText,
            _ => throw WebApiException.BadRequest($"'{name}' of '{operation}' must be given through a parameter alias: {name}=@p1&@p1={{'@odata.id':'…'}}."),
        };

        var reader = new OperationParameterReader(catalog, operation);
        return reader.Reference(ParseObject(text, name, operation), name);
    }

    private static JsonElement ParseObject(string text, string name, string operation)
    {
        foreach (var candidate in new[] { text, text.Replace('\'', '"') })
        {
            try
            {
                using var document = JsonDocument.Parse(candidate);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                // Dataverse's own examples quote with ', which is not JSON; the second candidate reads those.
            }
        }

        throw WebApiException.BadRequest($"The value of '{name}' for '{operation}' is not an object such as {{'@odata.id':'msdyn_ocwhatsappchannelaccounts(<id>)'}}: {text}");
    }
}
