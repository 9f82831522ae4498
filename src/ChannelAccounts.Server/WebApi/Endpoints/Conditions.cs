using ChannelAccounts.Server.WebApi.Errors;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>If-Match / If-None-Match as Dataverse reads them; the literal "null" some clients send means no condition.</summary>
public sealed record Conditions(bool IfMatchAny, string? IfMatchVersion, bool IfNoneMatchAny)
{
    public static Conditions From(HttpRequest request)
    {
        var ifMatch = request.Headers.IfMatch.ToString().Trim();
        var ifNoneMatch = request.Headers.IfNoneMatch.ToString().Trim();
        string? version = null;
        if (ifMatch.Length > 0 && ifMatch != "*" && ifMatch != "null")
        {
            version = ParseETag(ifMatch) ?? throw WebApiException.BadRequest(
                $"The If-Match header value '{ifMatch}' is not an ETag; use the @odata.etag of the record, such as W/\"12345\", or *.");
        }

        return new Conditions(ifMatch == "*", version, ifNoneMatch == "*");
    }

    private static string? ParseETag(string value)
    {
        var text = value.StartsWith("W/", StringComparison.Ordinal) ? value[2..] : value;
        return text.Length > 2 && text[0] == '"' && text[^1] == '"' ? text[1..^1] : null;
    }
}
