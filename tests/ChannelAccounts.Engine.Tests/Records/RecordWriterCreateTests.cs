using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Records;

/// <summary>
/// A create by a caller the engine has cached may take the caller's business unit from the cache (on PostgreSQL the
/// caller's row is then locked and checked in the INSERT's own round trip). Whatever the timing, a record is written
/// in the unit its owner is in when it commits, with the caller's columns and a version number of its own.
/// </summary>
public abstract class RecordWriterCreateTests(IStoreFixture fixture) : IAsyncLifetime
{
    private OrganizationInfo _organization = null!;
    private OrganizationEngine _engine = null!;

    protected IStoreFixture Fixture => fixture;

    private IDataStore Store => fixture.Store;

    private CallerIdentity Admin => CallerIdentity.User(_organization.AdminUserId);

    public async Task InitializeAsync()
    {
        _organization = await OrganizationSetup.EnsureAsync(Store);
        _engine = await OrganizationEngine.CreateAsync(Store);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Returns once the work started before it is waiting for a transaction the test holds open.</summary>
    protected abstract Task UntilBlockedAsync();

    [Fact]
    public async Task A_create_carries_its_callers_columns_its_unit_and_a_version_above_the_callers_last_one()
    {
        var unit = await AddBusinessUnitAsync();
        var user = await AddAdministratorAsync(unit);
        var first = await ReadAsync(await CreateAsync(user, "First"));

        var second = await ReadAsync(await CreateAsync(user, "Second"));

        Assert.True((long)second["versionnumber"]! > (long)first["versionnumber"]!, "each create draws a newer version number");
        Assert.Equal(user, second["ownerid"]);
        Assert.Equal(Engine.Records.OwnerTypes.OwnerTypeCode(MetadataCatalog.SystemUser), second["owneridtype"]);
        Assert.Equal(user, second["owninguser"]);
        Assert.Null(second["owningteam"]);
        Assert.Equal(unit, second["owningbusinessunit"]);
        Assert.Equal(user, second["createdby"]);
        Assert.Equal(user, second["modifiedby"]);
        Assert.Null(second["createdonbehalfby"]);
        Assert.Equal(0, second["statecode"]);
        Assert.Equal("Second", second["msdyn_name"]);
    }

    [Fact]
    public async Task A_caller_moved_to_another_business_unit_elsewhere_creates_in_its_new_unit_at_once()
    {
        var user = await AddAdministratorAsync(await AddBusinessUnitAsync());
        await CreateAsync(user, "Warm");
        await CreateAsync(user, "Warm"); // the caller is cached in its first unit
        var moved = await AddBusinessUnitAsync();

        await using (var transaction = await Store.BeginAsync(TransactionMode.Write))
        {
            await transaction.UpdateAsync(Store.Catalog[MetadataCatalog.SystemUser], user, new StoredRow { ["businessunitid"] = moved });
            await transaction.CommitAsync();
        }

        Assert.Equal(moved, (await ReadAsync(await CreateAsync(user, "After the move")))["owningbusinessunit"]);
    }

    [Fact]
    public async Task A_create_that_waits_for_a_move_of_its_owner_is_written_in_the_owners_new_unit()
    {
        var user = await AddAdministratorAsync(await AddBusinessUnitAsync());
        var warm = await CreateAsync(user, "Warm");
        await CreateAsync(user, "Warm");
        var moved = await AddBusinessUnitAsync();
        await using var move = await _engine.BeginScopeAsync();
        await move.ExecuteAsync(MoveRequest(user, moved), Admin);

        // On PostgreSQL the create's round trip reads the stamp the move has not committed yet, then waits for the
        // caller's row; SQLite's create waits for the writer slot.
        var create = CreateAsync(user, "Behind the move");
        await UntilBlockedAsync();
        await move.CommitAsync();

        Assert.Equal(moved, (await ReadAsync(await create))["owningbusinessunit"]);
        Assert.Equal(moved, (await ReadAsync(warm))["owningbusinessunit"]);
    }

    [Fact]
    public async Task Creates_racing_moves_of_their_owner_never_commit_a_record_outside_the_owners_unit()
    {
        var units = new[] { await AddBusinessUnitAsync(), await AddBusinessUnitAsync() };
        var user = await AddAdministratorAsync(units[0]);
        await CreateAsync(user, "Warm");

        for (var round = 1; round <= 6; round++)
        {
            var target = units[round % 2];
            var moved = 0;
            var creators = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                // Creates before, during and just after the move; bounded whatever the timing.
                for (var i = 0; i < 30 && (Volatile.Read(ref moved) == 0 || i % 10 != 0); i++)
                {
                    await CreateAsync(user, "Racer");
                }
            })).ToList();
            await Task.Delay(5 * round);
            await _engine.ExecuteAsync(MoveRequest(user, target), Admin);
            Volatile.Write(ref moved, 1);
            await Task.WhenAll(creators);

            // Every record committed before the move was moved with its owner; every one after it was created there.
            var strays = (await OwnedByAsync(user)).Where(r => !target.Equals(r["owningbusinessunit"])).ToList();
            Assert.True(strays.Count == 0, $"round {round}: {strays.Count} records outside the owner's unit {target}");
        }
    }

    [Fact]
    public async Task A_create_with_an_id_that_exists_is_a_DuplicateRecord_fault_and_changes_nothing()
    {
        var user = await AddAdministratorAsync(await AddBusinessUnitAsync());
        var id = await CreateAsync(user, "Original");
        await CreateAsync(user, "Warm");
        var before = await ReadAsync(id);

        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => CreateAsync(user, "Duplicate", id));

        Assert.Equal(ErrorCodes.DuplicateRecord, fault.ErrorCode);
        var after = await ReadAsync(id);
        Assert.Equal("Original", after["msdyn_name"]);
        Assert.Equal(before["versionnumber"], after["versionnumber"]);
    }

    private static UpdateRequest MoveRequest(Guid user, Guid unit) => new()
    {
        Target = new Entity(MetadataCatalog.SystemUser, user) { ["businessunitid"] = new EntityReference(MetadataCatalog.BusinessUnit, unit) },
    };

    private async Task<Guid> CreateAsync(Guid user, string name, Guid? id = null)
    {
        var target = new Entity(MetadataCatalog.WhatsAppAccount) { ["msdyn_name"] = name };
        if (id is { } given)
        {
            target.Id = given;
        }
        return ((CreateResponse)await _engine.ExecuteAsync(new CreateRequest { Target = target }, CallerIdentity.User(user))).id;
    }

    private async Task<StoredRow> ReadAsync(Guid id)
    {
        await using var transaction = await Store.BeginAsync(TransactionMode.Read);
        return await transaction.RetrieveAsync(Store.Catalog[MetadataCatalog.WhatsAppAccount], id, null)
            ?? throw new InvalidOperationException($"The record {id} is not there.");
    }

    private async Task<IReadOnlyList<StoredRow>> OwnedByAsync(Guid user)
    {
        var query = new QueryExpression(MetadataCatalog.WhatsAppAccount) { ColumnSet = new ColumnSet("owningbusinessunit") };
        query.Criteria.AddCondition("ownerid", ConditionOperator.Equal, user);
        await using var transaction = await Store.BeginAsync(TransactionMode.Read);
        return (await transaction.QueryAsync(query, new QueryContext(_organization.AdminUserId, _organization.RootBusinessUnitId, DateTime.UtcNow))).Rows;
    }

    private Task<Guid> AddBusinessUnitAsync() => StorePrincipals.AddBusinessUnitAsync(Store, _organization.RootBusinessUnitId);

    private Task<Guid> AddAdministratorAsync(Guid unit) => StorePrincipals.AddUserAsync(Store, unit, administrator: true);
}

public sealed class RecordWriterCreateSqliteTests(SqliteStoreFixture fixture)
    : RecordWriterCreateTests(fixture), IClassFixture<SqliteStoreFixture>
{
    /// <summary>SQLite shows no lock waits; the create only has to reach the writer slot.</summary>
    protected override Task UntilBlockedAsync() => Task.Delay(300);
}

public sealed class RecordWriterCreatePostgresTests(PostgresStoreFixture fixture)
    : RecordWriterCreateTests(fixture), IClassFixture<PostgresStoreFixture>
{
    protected override Task UntilBlockedAsync() => PostgresLockWaits.UntilOneWaitsAsync(Fixture.ConnectionSpec);
}
