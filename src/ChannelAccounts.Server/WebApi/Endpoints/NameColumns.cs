using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;
using ChannelAccounts.Server.WebApi.Json;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>Asks for the lookups' name columns only when the client wants FormattedValue annotations, so plain reads skip the joins.</summary>
public static class NameColumns
{
    public static void AddForAnnotations(WebApiContext api, EntityDefinition entity, ColumnSet columns)
    {
        if (!api.Prefer.Includes(Annotations.FormattedValue))
        {
            return;
        }

        var lookups = columns.AllColumns
            ? entity.Attributes.Where(a => a.IsLookup).Select(a => a.LogicalName).ToList()
            : columns.Columns.Where(c => entity.TryGetAttribute(c, out var a) && a.IsLookup).ToList();
        foreach (var lookup in lookups)
        {
            if (entity.NameOf(lookup) is { } name && !columns.Columns.Contains(name.LogicalName))
            {
                columns.Columns.Add(name.LogicalName);
            }
        }
    }
}
