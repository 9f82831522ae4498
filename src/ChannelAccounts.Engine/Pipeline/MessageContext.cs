using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Engine.Storage;

namespace ChannelAccounts.Engine.Pipeline;

/// <summary>Everything a handler may use: the caller, the open transaction, the catalog and the time the message started.</summary>
public sealed class MessageContext
{
    public required ResolvedCaller Caller { get; init; }

    public required Guid OrganizationId { get; init; }

    public required IStoreTransaction Transaction { get; init; }

    public required MetadataCatalog Catalog { get; init; }

    /// <summary>Encrypts secured columns on write and decrypts them on read.</summary>
    public required Security.Secrets.ISecretProtector Secrets { get; init; }

    /// <summary>One timestamp per message, UTC, whole seconds: createdon and modifiedon of every row it writes agree.</summary>
    public required DateTime UtcNow { get; init; }

    /// <summary>Profiles and caller facts of the current security stamp; null loads everything from live data.</summary>
    public Security.SecurityProfileCache? ProfileCache { get; init; }

    public EngineOptions Options { get; init; } = EngineOptions.Default;

    /// <summary>
    /// True when the message has its transaction to itself and the engine runs it again, reading everything first,
    /// should a fact it took from the cache prove stale before commit (StaleAssumptionException): it may then leave
    /// checks to the store's next round trip (IStoreTransaction.TryAssumeBusinessUnit). False for a message of a
    /// shared scope ($batch change set, ExecuteTransaction) and for such a rerun.
    /// </summary>
    public bool MayAssume { get; init; }

    /// <summary>Owners' business units read by this message, so a bulk message reads each owner once.</summary>
    internal Dictionary<(string LogicalName, Guid Id), object?> OwnerBusinessUnits { get; } = [];

    public QueryContext QueryContext => new(Caller.UserId, Caller.BusinessUnitId, UtcNow);

    /// <summary>The access decisions of this message, with the caller's security profile loaded on first use.</summary>
    public Security.AccessChecker Access => _access ??= new Security.AccessChecker(this);

    private Security.AccessChecker? _access;
}
