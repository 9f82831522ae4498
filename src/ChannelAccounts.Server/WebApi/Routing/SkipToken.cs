using System.Net;
using System.Text.RegularExpressions;
using ChannelAccounts.Server.WebApi.Errors;

namespace ChannelAccounts.Server.WebApi.Routing;

/// <summary>
/// Dataverse's $skiptoken shape, <cookie pagenumber="2" pagingcookie="…" istracking="False" />, carrying our
/// keyset cursor URL-encoded in pagingcookie as Dataverse carries its own.
/// </summary>
public static partial class SkipToken
{
    public static string Create(int nextPageNumber, string pagingCookie) =>
        $"<cookie pagenumber=\"{nextPageNumber}\" pagingcookie=\"{WebUtility.UrlEncode(pagingCookie)}\" istracking=\"False\" />";

    public static (int PageNumber, string PagingCookie) Parse(string skipToken)
    {
        var match = CookiePattern().Match(skipToken);
        if (!match.Success || !int.TryParse(match.Groups["page"].Value, out var page) || page < 2)
        {
            throw WebApiException.BadRequest(
                "The $skiptoken is not one this server issued. Use the @odata.nextLink of the previous page as it is.");
        }

        return (page, WebUtility.UrlDecode(match.Groups["cookie"].Value));
    }

    [GeneratedRegex("""^\s*<cookie\s+pagenumber="(?<page>\d+)"\s+pagingcookie="(?<cookie>[^"]*)"(\s+istracking="(True|False)")?\s*/>\s*$""")]
    private static partial Regex CookiePattern();
}
