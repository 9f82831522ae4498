using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Server.WebApi.Json;

namespace ChannelAccounts.Server.WebApi;

/// <summary>A GET's query options, turned into the engine's query model by Microsoft.OData.Core's parser.</summary>
/// <param name="Projection">What @odata.context shows in parentheses after the set; null for all columns.</param>
public sealed record TranslatedQuery(
    QueryExpression Query,
    bool Count,
    IReadOnlyList<string> SelectedProperties,
    IReadOnlyList<ExpandedNavigation> Expands,
    string? Projection)
{
    /// <summary>The expanded collection-valued navigation properties (templates: CollectionExpansions copies them per use).</summary>
    public IReadOnlyList<Query.ODataCollectionExpand> CollectionExpands { get; init; } = [];
}
