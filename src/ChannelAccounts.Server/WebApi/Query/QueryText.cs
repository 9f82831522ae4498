namespace ChannelAccounts.Server.WebApi.Query;

/// <summary>Reading the raw text of a query option where the OData parser's tree does not keep it ($apply, nested $expand options).</summary>
internal static class QueryText
{
    /// <summary>Splits on a separator outside parentheses and quoted strings.</summary>
    public static List<string> Split(string text, char separator, string option)
    {
        var parts = new List<string>();
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '(')
            {
                depth++;
            }
            else if (!quoted && c == ')' && --depth < 0)
            {
                throw ODataQueryFaults.BadQuery($"The {option} query option has unbalanced parentheses.");
            }
            else if (!quoted && depth == 0 && c == separator)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        if (depth != 0 || quoted)
        {
            throw ODataQueryFaults.BadQuery($"The {option} query option has unbalanced parentheses or an unterminated string.");
        }

        parts.Add(text[start..]);
        return parts;
    }
}
