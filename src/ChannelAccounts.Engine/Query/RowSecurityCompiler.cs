using System.Text;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Storage.Schema;

namespace ChannelAccounts.Engine.Query;

/// <summary>
/// Turns RowSecurity into SQL: ownership and business unit tests on the row, and a test on the row's shares. Either
/// one predicate (an OR of the sources) or disjoint branches, one per source, for a page read as a UNION ALL.
/// </summary>
internal static class RowSecurityCompiler
{
    /// <summary>One predicate: the OR of the sources, the shares as a correlated EXISTS (one probe per row read).</summary>
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

        var sources = Sources(sql, main, security, shareAsExists: true);
        return "(" + string.Join(" OR ", sources) + ")";
    }

    /// <summary>
    /// The sources as disjoint predicates whose union is exactly what <see cref="Compile"/> allows: owned rows; rows of
    /// the units not owned; shared rows neither owned nor of the units. Each leads with a column an index starts with
    /// ((ownerid, name, id), (owningbusinessunit, name, id), the shares' principalid), so a database can read every
    /// branch in order from its own index and stop at the page's LIMIT; one OR makes it walk the whole range of the
    /// order column and test each row, however few the caller can see. A negation is NULL-safe (a NULL owner or unit
    /// is "not in the list", as the OR reads it), so a row lands in exactly one branch and UNION ALL needs no dedup.
    /// </summary>
    public static IReadOnlyList<string> Branches(SqlBuilder sql, TableSource main, RowSecurity security)
    {
        if (security.AllowsNothing)
        {
            return ["1 = 0"];
        }

        var sources = Sources(sql, main, security, shareAsExists: false);
        var branches = new List<string>(sources.Count);
        for (var i = 0; i < sources.Count; i++)
        {
            var branch = new StringBuilder(sources[i]);
            for (var earlier = 0; earlier < i; earlier++)
            {
                branch.Append(" AND NOT coalesce(").Append(sources[earlier]).Append(", FALSE)");
            }
            branches.Add(branch.ToString());
        }
        return branches;
    }

    private static List<string> Sources(SqlBuilder sql, TableSource main, RowSecurity security, bool shareAsExists)
    {
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
            var id = $"{alias}.{SchemaDefinition.Name(main.Entity.PrimaryIdAttribute)}";
            var principals = Guids(sql, security.SharePrincipalIds);
            var right = sql.Parameter(security.AccessRight, AttributeTypeCode.Integer);
            // EXISTS probes the shares of each row read; IN reads the principal's shares once (uncorrelated), the
            // form a branch needs so the database starts from the shares instead of from every row.
            parts.Add(shareAsExists
                ? $"EXISTS (SELECT 1 FROM principalobjectaccess poa WHERE poa.objectid = {id} AND poa.principalid IN ({principals}) AND (poa.accessrightsmask & {right}) <> 0)"
                : $"{id} IN (SELECT poa.objectid FROM principalobjectaccess poa WHERE poa.principalid IN ({principals}) AND (poa.accessrightsmask & {right}) <> 0)");
        }

        return parts;
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
