using ChannelAccounts.Server.Tests.Infrastructure;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Server.Tests.WebApi.Bulk;

/// <summary>A server with the security world and the production body limit, so 1,000 targets fit in one request.</summary>
public interface IBulkFixture : IServerFixture
{
    SecurityWorld World { get; }
}

public sealed class SqliteBulkFixture : ServerFixture<SqliteStoreFixture>, IBulkFixture
{
    public SecurityWorld World { get; private set; } = null!;

    public override long MaxRequestBodyBytes => 4 * 1024 * 1024;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        World = await SecurityWorld.BuildAsync(this);
    }
}

public sealed class PostgresBulkFixture : ServerFixture<PostgresStoreFixture>, IBulkFixture
{
    public SecurityWorld World { get; private set; } = null!;

    public override long MaxRequestBodyBytes => 4 * 1024 * 1024;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        World = await SecurityWorld.BuildAsync(this);
    }
}
