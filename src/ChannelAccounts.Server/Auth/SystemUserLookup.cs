using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Server.Auth;

/// <summary>Finds a systemuser by one of its identifying columns (domainname, azureactivedirectoryobjectid, applicationid).</summary>
public static class SystemUserLookup
{
    public static async Task<Guid?> FindAsync(IDataStore store, string column, object value, CancellationToken cancellationToken)
    {
        var query = new QueryExpression(MetadataCatalog.SystemUser) { ColumnSet = new ColumnSet("systemuserid"), TopCount = 1 };
        query.Criteria.AddCondition(column, ConditionOperator.Equal, value);
        await using var transaction = await store.BeginAsync(TransactionMode.Read, cancellationToken);
        var page = await transaction.QueryAsync(query, new QueryContext(Guid.Empty, Guid.Empty, DateTime.UtcNow), cancellationToken);
        return page.Rows.Count == 0 ? null : (Guid)page.Rows[0]["systemuserid"]!;
    }
}
