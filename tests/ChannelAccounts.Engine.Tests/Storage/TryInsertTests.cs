using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Storage;

/// <summary>INSERT .. ON CONFLICT DO NOTHING over the primary key and alternate keys (ca_whatsappmessage's account and MessageSid).</summary>
public abstract class TryInsertTests(IStoreFixture fixture) : StoreTestBase(fixture)
{
    private static EntityDefinition Messages => MetadataCatalog.Default[MetadataCatalog.WhatsAppMessage];

    private static readonly Guid WhatsAppAccountId = Guid.NewGuid();

    private static StoredRow Message(string sid, Guid? id = null) => new()
    {
        ["ca_whatsappmessageid"] = id ?? Guid.NewGuid(),
        ["ca_messagesid"] = sid,
        ["ca_whatsappaccountid"] = WhatsAppAccountId,
        ["ca_body"] = "hello",
        ["createdon"] = Now,
        ["modifiedon"] = Now,
    };

    private async Task<int> CountAsync(string sid)
    {
        var query = new Sdk.Query.QueryExpression(MetadataCatalog.WhatsAppMessage) { PageInfo = { ReturnTotalRecordCount = true } };
        query.Criteria.AddCondition("ca_messagesid", Sdk.Query.ConditionOperator.Equal, sid);
        return (await QueryAsync(query)).TotalRecordCount;
    }

    [Fact]
    public async Task Twenty_concurrent_inserts_of_one_key_store_one_row_and_only_one_reports_it()
    {
        var sid = "SM" + Guid.NewGuid().ToString("N");
        var id = Guid.NewGuid();

        var inserted = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await using var transaction = await Store.BeginAsync(TransactionMode.Write);
            var stored = await transaction.TryInsertAsync(Messages, Message(sid, id));
            await transaction.CommitAsync();
            return stored;
        })));

        Assert.Single(inserted, stored => stored);
        Assert.Equal(1, await CountAsync(sid));
    }

    [Fact]
    public async Task A_row_repeating_only_the_alternate_key_is_skipped_and_the_transaction_goes_on()
    {
        var sid = "SM" + Guid.NewGuid().ToString("N");
        await using var transaction = await Store.BeginAsync(TransactionMode.Write);

        Assert.True(await transaction.TryInsertAsync(Messages, Message(sid)));
        Assert.False(await transaction.TryInsertAsync(Messages, Message(sid)));
        var other = "SM" + Guid.NewGuid().ToString("N");
        Assert.True(await transaction.TryInsertAsync(Messages, Message(other)));
        await transaction.CommitAsync();

        Assert.Equal(1, await CountAsync(sid));
        Assert.Equal(1, await CountAsync(other));
    }
}

public sealed class TryInsertSqliteTests(SqliteStoreFixture fixture) : TryInsertTests(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class TryInsertPostgresTests(PostgresStoreFixture fixture) : TryInsertTests(fixture), IClassFixture<PostgresStoreFixture>;
