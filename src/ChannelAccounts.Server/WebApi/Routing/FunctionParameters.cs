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
        var text = LiteralText(parameters, name, query, operation,
            $"'{operation}' needs the parameter '{name}', e.g. {name}=@p1 with @p1={{'@odata.id':'msdyn_ocwhatsappchannelaccounts(<id>)'}}.",
            $"'{name}' of '{operation}' must be given through a parameter alias: {name}=@p1&@p1={{'@odata.id':'…'}}.");
        var reader = new OperationParameterReader(catalog, operation);
        return reader.Reference(ParseObject(text, name, operation), name);
    }

    /// <summary>An Edm.String parameter, inline (NewState='Inactive') or through an alias (@s='Inactive'); quotes doubled inside are one.</summary>
    public static string String(IEnumerable<OperationSegmentParameter> parameters, string name, IQueryCollection query, string operation)
    {
        var text = LiteralText(parameters, name, query, operation, $"'{operation}' needs the parameter '{name}', e.g. {name}='text'.", null).Trim();
        return text.Length >= 2 && text[0] == '\'' && text[^1] == '\''
            ? text[1..^1].Replace("''", "'", StringComparison.Ordinal)
            : throw WebApiException.BadRequest($"The value of '{name}' for '{operation}' must be a string literal in single quotes, such as {name}='Inactive': {text}");
    }

    /// <summary>An Edm.Int32 parameter, inline (NewStatus=2) or through an alias (@n=2).</summary>
    public static int Int32(IEnumerable<OperationSegmentParameter> parameters, string name, IQueryCollection query, string operation)
    {
        var text = LiteralText(parameters, name, query, operation, $"'{operation}' needs the parameter '{name}', e.g. {name}=1.", null).Trim();
        return int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw WebApiException.BadRequest($"The value of '{name}' for '{operation}' must be an Edm.Int32 number: {text}");
    }

    /// <summary>
    /// An enum parameter by its member's name: Microsoft.Dynamics.CRM.EndpointAccessType'Default' as OData writes it,
    /// or 'Default' or Default; inline or through an alias.
    /// </summary>
    public static T Enum<T>(IEnumerable<OperationSegmentParameter> parameters, string name, IQueryCollection query, string operation)
        where T : struct, System.Enum
    {
        var qualified = $"Microsoft.Dynamics.CRM.{typeof(T).Name}'{System.Enum.GetNames<T>()[0]}'";
        var text = LiteralText(parameters, name, query, operation, $"'{operation}' needs the parameter '{name}', e.g. {name}={qualified}.", null).Trim();
        var quote = text.IndexOf('\'');
        var member = quote >= 0 && text.EndsWith('\'') && text.Length > quote + 1 ? text[(quote + 1)..^1] : text;
        // Only a member's exact name: Enum.TryParse would also take numbers and "Default,Internet".
        return System.Enum.GetNames<T>().Contains(member, StringComparer.Ordinal)
            ? System.Enum.Parse<T>(member)
            : throw WebApiException.BadRequest(
                $"The value of '{name}' for '{operation}' must be one of {string.Join(", ", System.Enum.GetNames<T>())}, such as {qualified}: {text}");
    }

    private static string LiteralText(IEnumerable<OperationSegmentParameter> parameters, string name, IQueryCollection query, string operation,
        string missing, string? notAlias)
    {
        var parameter = parameters.FirstOrDefault(p => p.Name == name) ?? throw WebApiException.BadRequest(missing);
        return parameter.Value switch
        {
            ParameterAliasNode alias when query.TryGetValue(alias.Alias, out var value) => value.ToString(),
            ParameterAliasNode alias => throw WebApiException.BadRequest($"The parameter alias {alias.Alias} of '{operation}' has no value in the query string."),
            ConstantNode constant => constant.LiteralText,
            ConvertNode { Source: ConstantNode constant } => constant.LiteralText,
            _ => throw WebApiException.BadRequest(notAlias ?? $"The value of '{name}' for '{operation}' is not a literal."),
        };
    }

    private static JsonElement ParseObject(string text, string name, string operation)
    {
        foreach (var candidate in new[] { text, text.Replace('\'', '"') })
        {
            try
            {
                using var document = JsonDocument.Parse(candidate);
                RequestBody.CheckValues(document.RootElement,
                    detail => WebApiException.BadRequest($"The value of '{name}' for '{operation}' is not valid: {detail}"));
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
