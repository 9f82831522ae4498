using System.Text.RegularExpressions;

namespace ChannelAccounts.Engine.Query.FetchXml;

/// <summary>
/// The FetchXML paging cookie in Dataverse's shape, carrying our keyset cookie. The annotation is
/// <c>&lt;cookie pagenumber="2" pagingcookie="…" istracking="False" /&gt;</c> whose pagingcookie is the inner cookie
/// <c>&lt;cookie page="1"&gt;&lt;keyset last="…" /&gt;&lt;/cookie&gt;</c> URL-encoded twice. It has Dataverse's shape,
/// <c>&lt;cookie page="1"&gt;&lt;accountid last="{…}" first="{…}" /&gt;&lt;/cookie&gt;</c>: page is the cookie element's only
/// attribute and the position is a child element, because clients read the page with a pattern such as
/// <c>&lt;cookie page="(\d+)"&gt;</c> (Xrm-WebApi-Client) or find the cookie by its end tag (DynamicsWebApi). A client
/// sends back either that whole annotation or the decoded inner cookie in paging-cookie=""; both are accepted, as
/// is our keyset cookie on its own and the earlier <c>&lt;cookie page="1" keyset="…"&gt;</c>.
/// </summary>
public static class FetchPagingCookie
{
    private const string KeysetElement = "keyset";

    public static string Annotation(int pageNumber, string keyset)
    {
        var inner = $"<cookie page=\"{pageNumber}\"><{KeysetElement} last=\"{keyset}\" /></cookie>";
        // Lowercase hex, as Dataverse writes it (%253ccookie%2520page...); the keyset itself holds no '%'.
        var encoded = Escape(Escape(inner));
        return $"<cookie pagenumber=\"{pageNumber + 1}\" pagingcookie=\"{encoded}\" istracking=\"False\" />";
    }

    /// <summary>The annotation of a page whose next one is asked for by its number alone: an empty pagingcookie.</summary>
    public static string PageNumberOnly(int pageNumber) => $"<cookie pagenumber=\"{pageNumber + 1}\" pagingcookie=\"\" istracking=\"False\" />";

    private static string Escape(string text) =>
        Regex.Replace(Uri.EscapeDataString(text), "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant());

    /// <summary>The keyset cookie inside what a client sent in paging-cookie.</summary>
    public static string Unwrap(string cookie)
    {
        var text = cookie.Trim();
        for (var depth = 0; depth < 4 && text.StartsWith('<'); depth++)
        {
            var element = FetchXmlParser.Load(text);
            if (element.Name != "cookie")
            {
                throw FetchXmlParser.Invalid("The paging-cookie is not a <cookie> element.");
            }
            if (element.GetAttribute(KeysetElement) is { Length: > 0 } keyset)
            {
                return keyset;
            }
            if (element[KeysetElement]?.GetAttribute("last") is { Length: > 0 } last)
            {
                return last;
            }
            if (element.HasAttribute("pagingcookie") && element.GetAttribute("pagingcookie").Length == 0)
            {
                return ""; // PageNumberOnly's annotation sent back: no keyset, the page number says which page
            }
            text = element.GetAttribute("pagingcookie") is { Length: > 0 } encoded
                ? Decode(encoded)
                : throw FetchXmlParser.Invalid("The paging-cookie was not issued by this server; request the first page again without it.");
        }
        return text;
    }

    private static string Decode(string encoded)
    {
        var text = encoded;
        for (var i = 0; i < 3 && text.Contains('%', StringComparison.Ordinal); i++)
        {
            text = Uri.UnescapeDataString(text);
        }
        return text;
    }
}
