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

    public static void HideUnlessSelected(Entity record, TranslatedQuery translated)
    {
        if (translated.SelectedProperties is { Count: > 0 } selected && !selected.Contains(Name))
        {
            record.Attributes.Remove(Name);
        }
    }
}
