using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>The part of @odata.context after "$metadata#": "set(col1,col2)" or "set" when nothing was selected.</summary>
public static class ContextFragment
{
    public static string For(EntityDefinition entity, TranslatedQuery translated)
    {
        var selected = translated.SelectedProperties is { Count: > 0 } properties ? properties.ToList() : [];
        foreach (var expand in translated.Expands)
        {
            selected.Add(expand.NavigationProperty);
        }

        return selected.Count == 0 ? entity.EntitySetName : $"{entity.EntitySetName}({string.Join(",", selected)})";
    }
}
