using ChannelAccounts.Sdk;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>Every record carries @odata.etag, so versionnumber is always read; it is shown only when selected.</summary>
public static class VersionColumn
{
    public const string Name = "versionnumber";

    public static void Require(ColumnSet columns)
    {
        if (!columns.AllColumns && !columns.Columns.Contains(Name))
        {
            columns.Columns.Add(Name);
        }
    }

    public static void HideUnlessSelected(Entity record, TranslatedQuery translated) => HideUnlessSelected(record, translated.SelectedProperties);

    /// <summary>Without a $select every column shows, versionnumber included; with one, only what it names.</summary>
    public static void HideUnlessSelected(Entity record, IReadOnlyList<string> selectedProperties)
    {
        if (selectedProperties.Count > 0 && !selectedProperties.Contains(Name))
        {
            record.Attributes.Remove(Name);
        }
    }
}
