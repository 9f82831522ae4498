using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Engine.Security.Secrets;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Pipeline;

/// <summary>
/// The organization service in process: resolves the caller from live data, opens one transaction, runs the
/// message's handler and commits. The Web API and in-process SDK callers both come through ExecuteAsync.
/// Build one with CreateAsync, which loads the database's key ring for the secured columns.
/// </summary>
public sealed class OrganizationEngine(IDataStore store, ISecretProtector secrets, TimeProvider? timeProvider = null, EngineOptions? options = null)
{
    private static readonly string[] CallerColumns = ["businessunitid", "isdisabled"];
    private readonly MessageRegistry _registry = new();
    private readonly Security.SecurityProfileCache _profiles = new();
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private Guid _organizationId;

    public IDataStore Store => store;

    public EngineOptions Options { get; } = options ?? EngineOptions.Default;

    /// <summary>The clock messages and webhooks stamp their rows with.</summary>
    public TimeProvider Time => _time;

    /// <summary>Encrypts and decrypts the secured columns (their DataProtection key ring lives in the store).</summary>
    public ISecretProtector Secrets => secrets;

    public static async Task<OrganizationEngine> CreateAsync(IDataStore store, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default) =>
        new(store, await SecretProtection.CreateAsync(store, cancellationToken), timeProvider);

    public MetadataCatalog Catalog => store.Catalog;

    public async Task<OrganizationResponse> ExecuteAsync(OrganizationRequest request, CallerIdentity caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestName == ExecuteTransactionRunner.MessageName)
        {
            return await ExecuteTransactionRunner.RunAsync(this, request, caller, cancellationToken);
        }

        var (handler, typed) = _registry.Resolve(request);
        await using var transaction = await store.BeginAsync(handler.Mode, cancellationToken);
        var response = await RunAsync(handler, typed, transaction, caller, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return response;
    }

    /// <summary>
    /// Opens one write transaction that several messages share (a $batch change set, ExecuteTransaction): each
    /// ExecuteAsync of the scope runs on it, CommitAsync makes them all durable, disposing without commit undoes them all.
    /// </summary>
    public async Task<EngineTransactionScope> BeginScopeAsync(CancellationToken cancellationToken = default) =>
        new(this, await store.BeginAsync(TransactionMode.Write, cancellationToken));

    /// <summary>Runs one message on a transaction someone else opened and will commit (a scope).</summary>
    internal Task<OrganizationResponse> ExecuteInAsync(IStoreTransaction transaction, OrganizationRequest request, CallerIdentity caller,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (handler, typed) = _registry.Resolve(request);
        return RunAsync(handler, typed, transaction, caller, cancellationToken);
    }

    private async Task<OrganizationResponse> RunAsync(IMessageHandler handler, OrganizationRequest typed, IStoreTransaction transaction,
        CallerIdentity caller, CancellationToken cancellationToken)
    {
        var context = new MessageContext
        {
            Caller = await ResolveCallerAsync(transaction, caller, cancellationToken),
            OrganizationId = await OrganizationIdAsync(transaction, cancellationToken),
            Transaction = transaction,
            Catalog = store.Catalog,
            Secrets = secrets,
            ProfileCache = _profiles,
            UtcNow = OwnerTypes.ToStoredDateTime(_time.GetUtcNow().UtcDateTime),
            Options = Options,
        };
        if (caller.IsImpersonating)
        {
            await DemandActOnBehalfAsync(context, cancellationToken);
        }

        return await handler.HandleAsync(typed, context, cancellationToken);
    }

    /// <summary>Only a caller holding prvActOnBehalfOfAnotherUser may impersonate; the impersonated user's rights apply after that.</summary>
    private static async ValueTask DemandActOnBehalfAsync(MessageContext context, CancellationToken cancellationToken)
    {
        var realUser = await context.Transaction.RetrieveAsync(context.Catalog[MetadataCatalog.SystemUser], context.Caller.RealUserId, CallerColumns, cancellationToken);
        var profile = await context.Access.Loader.ForUserAsync(context.Caller.RealUserId, (Guid)realUser!["businessunitid"]!, cancellationToken);
        if (!profile.HasPrivilege(Security.SecurityCatalog.ActOnBehalfOfAnotherUser))
        {
            throw new OrganizationServiceFaultException(ErrorCodes.PrivilegeDenied,
                $"Principal user (Id={context.Caller.RealUserId}, type=8, roleCount={profile.RoleCount}) is missing {Security.SecurityCatalog.ActOnBehalfOfAnotherUser} privilege " +
                $"(Id={Security.SecurityCatalog.Privilege(Security.SecurityCatalog.ActOnBehalfOfAnotherUser).Id}): it cannot act on behalf of user {context.Caller.UserId} (CannotActOnBehalfOfAnotherUser).");
        }
    }

    private async ValueTask<ResolvedCaller> ResolveCallerAsync(IStoreTransaction transaction, CallerIdentity caller, CancellationToken cancellationToken)
    {
        var user = await LoadEnabledUserAsync(transaction, caller.UserId, cancellationToken);
        if (caller.IsImpersonating)
        {
            await LoadEnabledUserAsync(transaction, caller.RealUserId, cancellationToken);
        }

        return new ResolvedCaller(caller.UserId, user.BusinessUnitId, caller.RealUserId);
    }

    /// <summary>The user's unit and state, cached per security stamp: any write to systemuser changes the stamp.</summary>
    private async ValueTask<Security.CallerFacts> LoadEnabledUserAsync(IStoreTransaction transaction, Guid userId, CancellationToken cancellationToken)
    {
        var stamp = await transaction.SecurityStampAsync(cancellationToken);
        if (stamp is null || !_profiles.TryGetCaller(stamp.Value, userId, out var user))
        {
            var row = await transaction.RetrieveAsync(store.Catalog[MetadataCatalog.SystemUser], userId, CallerColumns, cancellationToken)
                ?? throw new OrganizationServiceFaultException(ErrorCodes.Unauthorized, $"The user with SystemUserId = {userId} does not exist in this organization.");
            user = new Security.CallerFacts((Guid)row["businessunitid"]!, row["isdisabled"] is true);
            if (stamp is { } loadedAt)
            {
                _profiles.AddCaller(loadedAt, userId, user);
            }
        }

        if (user.IsDisabled)
        {
            throw new OrganizationServiceFaultException(ErrorCodes.Unauthorized, $"The user with SystemUserId = {userId} is disabled.");
        }

        return user;
    }

    private async ValueTask<Guid> OrganizationIdAsync(IStoreTransaction transaction, CancellationToken cancellationToken)
    {
        if (_organizationId == Guid.Empty)
        {
            var value = await transaction.GetSettingAsync(OrganizationSetup.OrganizationIdSetting, cancellationToken)
                ?? throw new InvalidOperationException("The database has no organization yet; run OrganizationSetup.EnsureAsync first.");
            _organizationId = Guid.Parse(value);
        }

        return _organizationId;
    }
}
