using System.Text;
using ChannelAccounts.Engine.Storage;

namespace ChannelAccounts.Engine.Query;

/// <summary>
/// A page read as a UNION ALL of the row-security branches (RowSecurityCompiler.Branches): each branch is the whole
/// query with its own branch predicate, ordered and limited like the page, so it reads at most a page from an index
/// that leads with its security column; the union is ordered again and limited. The ordering keys are also returned
/// as ca_k0, ca_k1... (in their comparable form) so the outer ORDER BY sorts exactly as each branch did.
/// </summary>
internal static class BranchUnion
{
    public static string Page(List<string> select, string from, List<string> where, IReadOnlyList<string> branches,
        IReadOnlyList<KeyColumn> keys, string orderBy, string limit, string? offset, SqlDialect dialect)
    {
        // With an OFFSET, a branch may supply every row before the page as well as the page itself.
        var branchLimit = offset is null ? limit : "(" + limit + " + " + offset + ")";
        var text = new StringBuilder();
        for (var i = 0; i < branches.Count; i++)
        {
            text.Append(i == 0 ? "" : " UNION ALL ").Append("SELECT * FROM (SELECT ").AppendJoin(", ", select);
            for (var k = 0; k < keys.Count; k++)
            {
                text.Append(", ").Append(dialect.Comparable(keys[k].Column.Sql, keys[k].Column.Type)).Append(" AS ca_k").Append(k);
            }
            text.Append(from);
            SqlQueryCompiler.AppendWhere(text, [.. where, branches[i]]);
            text.Append(orderBy).Append(" LIMIT ").Append(branchLimit).Append(") b").Append(i);
        }

        text.Append(" ORDER BY ");
        for (var k = 0; k < keys.Count; k++)
        {
            text.Append(k == 0 ? "" : ", ").Append("ca_k").Append(k).Append(keys[k].Descending ? " DESC" : " ASC")
                .Append(SqlDialect.NullsOrder(keys[k].Descending));
        }
        return text.Append(" LIMIT ").Append(limit).Append(offset is null ? "" : " OFFSET " + offset).ToString();
    }

    /// <summary>Every readable row once (for the capped count): SELECT 1 per branch, UNION ALL.</summary>
    public static string Rows(string from, List<string> where, IReadOnlyList<string> branches)
    {
        var text = new StringBuilder();
        for (var i = 0; i < branches.Count; i++)
        {
            text.Append(i == 0 ? "SELECT 1" : " UNION ALL SELECT 1").Append(from);
            SqlQueryCompiler.AppendWhere(text, [.. where, branches[i]]);
        }
        return text.ToString();
    }
}
