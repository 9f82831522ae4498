namespace ChannelAccounts.Server.WebApi.Json;

/// <summary>The elements of a header value split on a separator that is not inside a quoted string (Prefer, Accept and their parameters).</summary>
public static class QuotedList
{
    public static List<string> Split(string text, char separator)
    {
        var parts = new List<string>();
        var start = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                quoted = !quoted;
            }
            else if (text[i] == separator && !quoted)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }
}
