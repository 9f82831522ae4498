using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>The part of @odata.context after "$metadata#": "set(col1,col2,nav(col))" or "set" when nothing was selected.</summary>
public static class ContextFragment
{
    public static string For(EntityDefinition entity, TranslatedQuery translated) =>
        translated.Projection is { Length: > 0 } projection ? $"{entity.EntitySetName}({projection})" : entity.EntitySetName;
}
