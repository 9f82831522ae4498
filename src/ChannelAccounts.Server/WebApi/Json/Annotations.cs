namespace ChannelAccounts.Server.WebApi.Json;

/// <summary>The annotation terms Dataverse writes when Prefer: odata.include-annotations asks for them.</summary>
public static class Annotations
{
    public const string FormattedValue = "OData.Community.Display.V1.FormattedValue";
    public const string AttributeName = "OData.Community.Display.V1.AttributeName";
    public const string LookupLogicalName = "Microsoft.Dynamics.CRM.lookuplogicalname";
    public const string AssociatedNavigationProperty = "Microsoft.Dynamics.CRM.associatednavigationproperty";
    public const string TotalRecordCount = "Microsoft.Dynamics.CRM.totalrecordcount";
    public const string TotalRecordCountLimitExceeded = "Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded";
    public const string ErrorHttpStatusCode = "Microsoft.PowerApps.CDS.ErrorDetails.ApiExceptionHttpStatusCode";
    public const string ErrorCategory = "Microsoft.PowerApps.CDS.ErrorDetails.ApiExceptionCategory";
    public const string ErrorHelpLink = "Microsoft.PowerApps.CDS.HelpLink";
    public const string ErrorInnerMessage = "Microsoft.PowerApps.CDS.InnerError.Message";
}

/// <summary>One expanded navigation property: its name and the linked aliases whose columns fill it (two for ownerid: user or team).</summary>
public sealed record ExpandedNavigation(string NavigationProperty, IReadOnlyList<ExpandedLink> Links)
{
    /// <summary>What the JSON writer needs of a translated $expand item, its nested ones included.</summary>
    public static ExpandedNavigation Of(Query.ODataExpand expand, Engine.Metadata.MetadataCatalog catalog) =>
        new(expand.NavigationProperty, expand.Targets.Select(t => new ExpandedLink(t.EntityAlias, catalog[t.EntityName], t.Columns)).ToList())
        {
            Nested = expand.Nested.Select(n => Of(n, catalog)).ToList(),
            SelectsAll = expand.SelectedProperties.Count == 0,
            ReferenceColumn = expand.AsReference ? expand.LookupColumn : null,
        };

    /// <summary>Expanded as nav/$ref: the lookup column whose value is written as the related record's @odata.id.</summary>
    public string? ReferenceColumn { get; init; }

    /// <summary>The expansions nested in this one, written inside its record.</summary>
    public IReadOnlyList<ExpandedNavigation> Nested { get; init; } = [];

    /// <summary>No nested $select narrowed the related record: with odata.metadata=full, all its navigation properties are linked.</summary>
    public bool SelectsAll { get; init; } = true;
}

public sealed record ExpandedLink(string Alias, Engine.Metadata.EntityDefinition Target, IReadOnlyList<string> Columns);
