namespace ChannelAccounts.Server.WebApi.Query;

/// <summary>
/// The raw OData query options of a GET on an entity set, as they came in the query string (already URL-decoded).
/// Aliases holds the parameter aliases by name with their '@' (<c>@p1</c> → <c>'msdyn_name'</c>).
/// </summary>
public sealed record ODataQueryOptions(
    string? Select = null,
    string? Filter = null,
    string? OrderBy = null,
    string? Expand = null,
    string? Top = null,
    string? Count = null,
    string? Skip = null,
    string? SkipToken = null,
    IReadOnlyDictionary<string, string>? Aliases = null)
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "$select", "$filter", "$orderby", "$expand", "$top", "$count", "$skip", "$skiptoken",
    };

    /// <summary>Picks the options and @aliases out of a query string's name/value pairs; other names are ignored,
    /// an unknown or repeated $option is refused.</summary>
    /// <summary>A NUL in any option is the caller's mistake: no stored value holds one (and PostgreSQL refuses it in a parameter).</summary>
    public static void RefuseNul(string name, string? value)
    {
        if (value?.Contains('\0', StringComparison.Ordinal) == true)
        {
            throw ODataQueryFaults.BadQuery($"The query option '{name}' contains the NUL character (%00), which no value can hold.");
        }
    }

    public static ODataQueryOptions FromQuery(IEnumerable<KeyValuePair<string, string?>> query)
    {
        var options = new ODataQueryOptions();
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in query)
        {
            if ((name.StartsWith('$') || name.StartsWith('@')) && !seen.Add(name))
            {
                throw ODataQueryFaults.BadQuery($"Query option '{name}' was specified more than once, but it must be specified at most once.");
            }

            RefuseNul(name, value);

            if (name is "fetchXml" or "$apply")
            {
                // A GET of the entity set handles these before the OData options; anywhere else they would be ignored.
                throw ODataQueryFaults.BadQuery($"The query parameter {name} is only supported on a GET of an entity set.");
            }

            if (name is "savedQuery" or "userQuery")
            {
                // Answering these with every row would look like success; this server keeps no saved or user views.
                throw ODataQueryFaults.BadQuery(
                    $"The query parameter {name} is not supported: this server keeps no {(name == "savedQuery" ? "system views (savedquery)" : "personal views (userquery)")}. " +
                    "Send the view's query instead, as $filter, $select and $orderby or as fetchXml.");
            }

            if (name == "sql")
            {
                // Dataverse's SQL preview; ignoring it would answer every row as if it were the query's result.
                throw ODataQueryFaults.BadQuery("The query parameter sql is not supported by ChannelAccounts; query with $filter, $apply or fetchXml.");
            }

            if (name.StartsWith('$') && !Known.Contains(name))
            {
                throw ODataQueryFaults.BadQuery($"The query parameter {name} is not supported");
            }

            // Query option names are case-sensitive in Dataverse, as property names are.
            options = name switch
            {
                "$select" => options with { Select = value },
                "$filter" => options with { Filter = value },
                "$orderby" => options with { OrderBy = value },
                "$expand" => options with { Expand = value },
                "$top" => options with { Top = value },
                "$count" => options with { Count = value },
                "$skip" => options with { Skip = value },
                "$skiptoken" => options with { SkipToken = value },
                _ => options,
            };
            if (name.StartsWith('@') && value is not null)
            {
                aliases[name] = value;
            }
        }

        return options with { Aliases = aliases };
    }

    /// <summary>The options as the OData parser takes them: "$filter" → text, "@p1" → text.</summary>
    internal Dictionary<string, string> ToParserOptions()
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        Add(options, "$select", Select);
        Add(options, "$filter", Filter);
        Add(options, "$orderby", OrderBy);
        Add(options, "$expand", Expand);
        Add(options, "$top", Top);
        Add(options, "$count", Count);
        foreach (var (name, value) in Aliases ?? new Dictionary<string, string>())
        {
            options[name.StartsWith('@') ? name : "@" + name] = value;
        }

        return options;
    }

    private static void Add(Dictionary<string, string> options, string name, string? value)
    {
        if (value is not null)
        {
            options[name] = value;
        }
    }
}
