using System.Text;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Storage.Schema;

namespace ChannelAccounts.Engine.Query;

/// <summary>Turns RowSecurity into SQL: ownership and business unit tests on the row, and an EXISTS over the row's shares.</summary>
internal static class RowSecurityCompiler
{
    public static string Compile(SqlBuilder sql, TableSource main, RowSecurity security)
    {
        if (security.AllowsNothing)
        {
            return "1 = 0";
        }

        if (security.Through is { } through)
        {
            // A row is readable when the record its lookup names is: the parent's predicate inside an EXISTS.
            var parent = new TableSource(through.Parent, "rsp");
            var predicate = Compile(sql, parent, security with { Through = null });
            return $"EXISTS (SELECT 1 FROM {SchemaDefinition.Name(through.Parent.LogicalName)} rsp" +
                   $" WHERE rsp.{SchemaDefinition.Name(through.Parent.PrimaryIdAttribute)} = {main.SqlAlias}.{SchemaDefinition.Name(through.Lookup)}" +
                   $" AND {predicate})";
        }

        var alias = main.SqlAlias;
        var parts = new List<string>(3);
        if (security.OwnerIds.Count > 0)
        {
            parts.Add($"{alias}.ownerid IN ({Guids(sql, security.OwnerIds)})");
        }

        if (security.BusinessUnitIds.Count > 0)
        {
            parts.Add($"{alias}.owningbusinessunit IN ({Guids(sql, security.BusinessUnitIds)})");
        }

        if (security.SharePrincipalIds.Count > 0)
        {
            var id = SchemaDefinition.Name(main.Entity.PrimaryIdAttribute);
            parts.Add($"EXISTS (SELECT 1 FROM principalobjectaccess poa WHERE poa.objectid = {alias}.{id}" +
                      $" AND poa.principalid IN ({Guids(sql, security.SharePrincipalIds)})" +
                      $" AND (poa.accessrightsmask & {sql.Parameter(security.AccessRight, AttributeTypeCode.Integer)}) <> 0)");
        }

        return "(" + string.Join(" OR ", parts) + ")";
    }

    private static string Guids(SqlBuilder sql, IReadOnlyList<Guid> ids)
    {
        var text = new StringBuilder();
        foreach (var id in ids)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            text.Append(sql.Parameter(id, AttributeTypeCode.Uniqueidentifier));
        }

        return text.ToString();
    }
}
