using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Sdk;

namespace ChannelAccounts.Engine.Query;

/// <summary>
/// An owner lookup's EntityReference needs its type column (owneridtype: systemuser or team) even when only the
/// lookup was asked for: the type is selected as a hidden output column ("__owneridtype", "__alias.owneridtype").
/// </summary>
internal static class OwnerTypeColumns
{
    /// <param name="prefix">"" for the query's own table, "alias." for a linked one.</param>
    public static void Add(SqlBuilder sql, TableSource table, IReadOnlyCollection<string> chosen, string prefix,
        List<string> select, List<OutputColumn> columns)
    {
        foreach (var owner in table.Entity.Attributes.Where(a => a.AttributeType == AttributeTypeCode.Owner && chosen.Contains(a.LogicalName)))
        {
            var typeName = owner.LogicalName + "type";
            if (!chosen.Contains(typeName) && table.Entity.TryGetAttribute(typeName, out _))
            {
                var type = sql.Column(table, typeName);
                select.Add(type.Sql);
                columns.Add(new OutputColumn(EntityMapper.HiddenPrefix + prefix + typeName, type.Type));
            }
        }
    }
}
