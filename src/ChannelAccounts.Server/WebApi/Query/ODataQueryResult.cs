using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Server.WebApi.Query;

/// <summary>
/// An OData query turned into the SDK's query, plus what the JSON writer needs to echo it back.
/// </summary>
/// <param name="Query">The QueryExpression to run (EntityName, ColumnSet, Criteria, Orders, TopCount, LinkEntities).</param>
/// <param name="Count">Whether <c>$count=true</c> asked for <c>@odata.count</c>.</param>
/// <param name="SelectedProperties">The EDM property names of $select in request order; empty when there was no $select.</param>
/// <param name="Expands">One entry per $expand item.</param>
/// <param name="SkipToken">The raw $skiptoken, for the paging layer to decode.</param>
public sealed record ODataQueryResult(
    QueryExpression Query,
    bool Count,
    IReadOnlyList<string> SelectedProperties,
    IReadOnlyList<ODataExpand> Expands,
    string? SkipToken)
{
    /// <summary>The expanded collection-valued navigation properties, each read by a query of its own.</summary>
    public IReadOnlyList<ODataCollectionExpand> CollectionExpands { get; init; } = [];

    /// <summary>
    /// The projection of <c>@odata.context</c>, e.g. <c>msdyn_name,statecode,createdby,createdby(fullname)</c>
    /// for <c>msdyn_ocwhatsappchannelaccounts(…)</c>; null when neither $select nor $expand was given.
    /// </summary>
    public string? ContextProjection()
    {
        if (SelectedProperties.Count == 0 && Expands.Count == 0 && CollectionExpands.Count == 0)
        {
            return null;
        }

        var parts = new List<string>(SelectedProperties);
        foreach (var expand in Expands)
        {
            if (SelectedProperties.Count > 0 && !parts.Contains(expand.NavigationProperty))
            {
                parts.Add(expand.NavigationProperty);
            }

            parts.Add(expand.ContextProjection());
        }

        parts.AddRange(CollectionExpands.Select(expand => expand.ContextProjection()));

        return string.Join(',', parts);
    }
}

/// <summary>
/// An expanded single-valued navigation property (<c>$expand=createdby($select=fullname)</c>): the lookup column it
/// follows and the LinkEntity (one per possible target table) whose aliased columns make up the nested record.
/// </summary>
/// <param name="NavigationProperty">The navigation property name, e.g. <c>ownerid</c>.</param>
/// <param name="LookupColumn">The lookup column it follows (same name in Dataverse).</param>
/// <param name="SelectedProperties">The nested $select names (EDM names of the navigation's type); empty when none.</param>
/// <param name="Targets">
/// One target per table the lookup may point to: a single one for <c>createdby</c>; for <c>ownerid</c> (principal)
/// one for systemuser and one for team — the row's owner type says which one to write, with its <c>@odata.type</c>.
/// </param>
public sealed record ODataExpand(
    string NavigationProperty,
    string LookupColumn,
    IReadOnlyList<string> SelectedProperties,
    IReadOnlyList<ODataExpandTarget> Targets)
{
    /// <summary>The expansions nested in this one (<c>createdby($expand=businessunitid)</c>), of its one target's lookups.</summary>
    public IReadOnlyList<ODataExpand> Nested { get; init; } = [];

    /// <summary>
    /// Expanded as <c>createdby/$ref</c>: written as <c>{"@odata.id":"…/systemusers(id)"}</c> from the lookup's own
    /// value, with no link and no columns of the related record.
    /// </summary>
    public bool AsReference { get; init; }

    /// <summary>Its part of <c>@odata.context</c>: <c>createdby(fullname,businessunitid(name))</c>, or <c>createdby/$ref()</c>.</summary>
    public string ContextProjection() => AsReference
        ? NavigationProperty + "/$ref()"
        : $"{NavigationProperty}({string.Join(',', SelectedProperties.Concat(Nested.Select(n => n.ContextProjection())))})";
}

/// <summary>One table an expanded navigation may lead to, and the LinkEntity alias its columns come back under.</summary>
/// <param name="EntityAlias">The LinkEntity's alias: columns come back as AliasedValue <c>alias.column</c>.</param>
/// <param name="EntityName">The target table's logical name.</param>
/// <param name="Columns">The target table's columns the link returns (its primary id first).</param>
public sealed record ODataExpandTarget(string EntityAlias, string EntityName, IReadOnlyList<string> Columns);

/// <summary>
/// An expanded collection-valued navigation property (<c>$expand=user_msdyn_ocwhatsappchannelaccount($select=msdyn_name;$top=5)</c>):
/// the related table's query from the nested options, run once for all the records of a page.
/// </summary>
/// <param name="NavigationProperty">The navigation property name.</param>
/// <param name="Related">The related records the property holds, and how to narrow a query of their table to them.</param>
/// <param name="SelectedProperties">The nested $select names; empty when none.</param>
/// <param name="Template">The related table's query from the nested $select, $filter and $orderby (copied for each use).</param>
/// <param name="Top">The nested $top: at most this many related records per record.</param>
/// <param name="NestedOptions">The nested options as written, each "name=value" (for a record's nextLink to its related records).</param>
public sealed record ODataCollectionExpand(
    string NavigationProperty,
    Endpoints.RelatedRecords Related,
    IReadOnlyList<string> SelectedProperties,
    QueryExpression Template,
    int? Top,
    IReadOnlyList<string> NestedOptions)
{
    /// <summary>The related records' expanded lookups, whose links the template holds.</summary>
    public IReadOnlyList<ODataExpand> Expands { get; init; } = [];

    /// <summary>The related records' own expanded one-to-many collections, each read for all of them at once.</summary>
    public IReadOnlyList<ODataCollectionExpand> CollectionExpands { get; init; } = [];

    /// <summary>Its part of <c>@odata.context</c>: <c>nav(msdyn_name,owninguser(fullname),nested(…))</c>.</summary>
    public string ContextProjection() =>
        $"{NavigationProperty}({string.Join(',', SelectedProperties.Concat(Expands.Select(e => e.ContextProjection())).Concat(CollectionExpands.Select(c => c.ContextProjection())))})";
}
