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

        var response = await ExecuteMessageAsync(request, caller, cancellationToken);
        if (response is BulkDeleteResponse started)
        {
            await BulkDeleteJob.RunAsync(this, request, started, caller);
        }
        return response;
    }

    /// <summary>One message on a transaction of its own, run again after a stale assumption or a lost conflict.</summary>
    private async Task<OrganizationResponse> ExecuteMessageAsync(OrganizationRequest request, CallerIdentity caller, CancellationToken cancellationToken)
    {
        var (handler, typed) = _registry.Resolve(request);
        var mayAssume = true;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var transaction = await store.BeginAsync(handler.Mode, cancellationToken);
                var response = await RunConfirmedAsync(handler, typed, transaction, caller, mayAssume, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return response;
            }
            catch (StaleAssumptionException stale)
            {
                // Security data changed, or an owner moved, since the cache was filled: run again reading everything
                // first (after a stamp change the cache misses anyway).
                if (stale is SecurityStampChangedException changed)
                {
                    _profiles.Restart(changed.CurrentStamp);
                }
                mayAssume = false;
                if (attempt >= ConflictRetry.MaxAttempts)
                {
                    throw DataverseFault.TransientConflict();
                }
            }
            catch (Exception e) when (attempt < ConflictRetry.MaxAttempts && (store.IsTransientConflict(e) || ConflictRetry.IsLostUpsertRace(typed, e)))
            {
                await ConflictRetry.PauseAsync(attempt, cancellationToken);
            }
            catch (Exception e) when (store.IsTransientConflict(e))
            {
                throw DataverseFault.TransientConflict();
            }
        }
    }

    /// <summary>True when the database ended a transaction to resolve a conflict with another: nothing of it was kept.</summary>
    internal bool IsTransientConflict(Exception exception) => store.IsTransientConflict(exception);

    /// <summary>
    /// Opens one write transaction that several messages share (a $batch change set, ExecuteTransaction): each
    /// ExecuteAsync of the scope runs on it, CommitAsync makes them all durable, disposing without commit undoes them all.
    /// </summary>
    public async Task<EngineTransactionScope> BeginScopeAsync(CancellationToken cancellationToken = default) =>
        new(this, await store.BeginAsync(TransactionMode.Write, cancellationToken));

    /// <summary>
    /// Runs the work on a scope of its own and commits it. A scope the database ended to resolve a conflict with another
    /// transaction, or whose upsert lost its insert, kept nothing and runs again from the start (ConflictRetry).
    /// </summary>
    public async Task<T> InScopeAsync<T>(Func<EngineTransactionScope, Task<T>> work, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = await BeginScopeAsync(cancellationToken);
            try
            {
                var result = await work(scope);
                await scope.CommitAsync(cancellationToken);
                return result;
            }
            catch (OrganizationServiceFaultException) when (scope.LostConflict && attempt < ConflictRetry.MaxAttempts)
            {
                await ConflictRetry.PauseAsync(attempt, cancellationToken);
            }
        }
    }

    /// <summary>Runs one message on a transaction someone else opened and will commit (a scope).</summary>
    internal Task<OrganizationResponse> ExecuteInAsync(IStoreTransaction transaction, OrganizationRequest request, CallerIdentity caller,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestName == BulkDeleteJob.MessageName)
        {
            // Its deletes are messages of their own, each committed alone: they cannot join a shared transaction.
            throw DataverseFault.InvalidArgument("BulkDelete cannot run inside a change set or ExecuteTransaction; send it as a request of its own.");
        }

        var (handler, typed) = _registry.Resolve(request);
        // Messages sharing a transaction read everything as they go: a fault of one is the scope's to handle, and
        // the scope cannot run a single message again.
        return RunAsync(handler, typed, transaction, caller, mayAssume: false, cancellationToken);
    }

    /// <summary>
    /// RunAsync for a transaction of its own, which may run on an assumed security stamp: a fault it decided (a missing
    /// privilege, a record it could not see) is reported only once that stamp is confirmed.
    /// </summary>
    private async Task<OrganizationResponse> RunConfirmedAsync(IMessageHandler handler, OrganizationRequest typed, IStoreTransaction transaction,
        CallerIdentity caller, bool mayAssume, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(handler, typed, transaction, caller, mayAssume, cancellationToken);
        }
        catch (OrganizationServiceFaultException)
        {
            await transaction.SecurityStampAsync(cancellationToken); // throws SecurityStampChangedException if it moved
            throw;
        }
    }

    /// <param name="mayAssume">The message may run on facts from the cache, checked by the store before commit (MessageContext.MayAssume).</param>
    private async Task<OrganizationResponse> RunAsync(IMessageHandler handler, OrganizationRequest typed, IStoreTransaction transaction,
        CallerIdentity caller, bool mayAssume, CancellationToken cancellationToken)
    {
        var organizationId = await OrganizationIdAsync(transaction, cancellationToken);
        Guid? realBusinessUnitId = null;
        if (caller.IsImpersonating)
        {
            // The real caller's right to impersonate comes first: a caller without it learns nothing of the user it
            // names (whether that user exists, or is disabled).
            var real = await LoadEnabledUserAsync(transaction, caller.RealUserId, mayAssume, cancellationToken);
            realBusinessUnitId = real.BusinessUnitId;
            var asRealCaller = NewContext(new ResolvedCaller(caller.RealUserId, real.BusinessUnitId, caller.RealUserId), organizationId, transaction, mayAssume);
            await DemandActOnBehalfAsync(asRealCaller, caller.UserId, cancellationToken);
            if (caller.UnresolvedObjectId is { } objectId)
            {
                throw new OrganizationServiceFaultException(ErrorCodes.ObjectDoesNotExist,
                    $"No systemuser has azureactivedirectoryobjectid {objectId} (CallerObjectId).");
            }
        }

        var user = await LoadEnabledUserAsync(transaction, caller.UserId, mayAssume, cancellationToken);
        var resolved = new ResolvedCaller(caller.UserId, user.BusinessUnitId, caller.RealUserId) { RealBusinessUnitId = realBusinessUnitId ?? user.BusinessUnitId };
        var context = NewContext(resolved, organizationId, transaction, mayAssume);
        await DemandBypassPrivilegeAsync(typed, context, cancellationToken);
        return await handler.HandleAsync(typed, context, cancellationToken);
    }

    /// <summary>The optional parameter Dataverse names for skipping custom plug-ins.</summary>
    public const string BypassCustomPluginExecution = "BypassCustomPluginExecution";

    /// <summary>
    /// This server runs no plug-ins, so bypassing them changes nothing; but Dataverse faults a caller without
    /// prvBypassCustomPlugins who asks for it, and so does this server, so that code passing it works alike in both.
    /// </summary>
    private static async ValueTask DemandBypassPrivilegeAsync(OrganizationRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        if (!request.Parameters.TryGetValue(BypassCustomPluginExecution, out var bypass) || bypass is not true)
        {
            return;
        }

        var caller = await context.Access.CallerAsync(cancellationToken);
        if (!caller.HasPrivilege(Security.SecurityCatalog.BypassCustomPlugins))
        {
            throw new OrganizationServiceFaultException(ErrorCodes.PrivilegeDenied,
                $"Principal user (Id={context.Caller.UserId}, type=8) is missing {Security.SecurityCatalog.BypassCustomPlugins} privilege, which " +
                $"{BypassCustomPluginExecution} needs. Send the request without it, or give the user a role with that privilege (System Administrator has it).");
        }
    }

    private MessageContext NewContext(ResolvedCaller caller, Guid organizationId, IStoreTransaction transaction, bool mayAssume) => new()
    {
        Caller = caller,
        OrganizationId = organizationId,
        Transaction = transaction,
        Catalog = store.Catalog,
        Secrets = secrets,
        ProfileCache = _profiles,
        UtcNow = OwnerTypes.ToStoredDateTime(_time.GetUtcNow().UtcDateTime),
        Options = Options,
        MayAssume = mayAssume,
    };

    /// <summary>
    /// Only a caller holding prvActOnBehalfOfAnotherUser through a role of its own (Dataverse: "direct assignment
    /// required"; a team's role does not count) may impersonate; after that the rights both users hold apply
    /// (SecurityProfile.ImpersonatedBy).
    /// </summary>
    /// <param name="asRealCaller">A context whose caller is the real caller.</param>
    private static async ValueTask DemandActOnBehalfAsync(MessageContext asRealCaller, Guid impersonated, CancellationToken cancellationToken)
    {
        var realUserId = asRealCaller.Caller.UserId;
        var profile = await asRealCaller.Access.Loader.ForUserAsync(realUserId, asRealCaller.Caller.BusinessUnitId, cancellationToken);
        if (!profile.DirectPrivileges.Contains(Security.SecurityCatalog.ActOnBehalfOfAnotherUser))
        {
            var throughTeam = profile.HasPrivilege(Security.SecurityCatalog.ActOnBehalfOfAnotherUser)
                ? " It holds it only through a team's role; the privilege, or a role holding it, must be assigned to the user directly."
                : "";
            throw new OrganizationServiceFaultException(ErrorCodes.PrivilegeDenied,
                $"Principal user (Id={realUserId}, type=8, roleCount={profile.RoleCount}) is missing {Security.SecurityCatalog.ActOnBehalfOfAnotherUser} privilege " +
                $"(Id={Security.SecurityCatalog.Privilege(Security.SecurityCatalog.ActOnBehalfOfAnotherUser).Id}): it cannot act on behalf of user {impersonated} (CannotActOnBehalfOfAnotherUser).{throughTeam}");
        }
    }

    /// <summary>The user's unit and state, cached per security stamp: any write to systemuser changes the stamp.</summary>
    private async ValueTask<Security.CallerFacts> LoadEnabledUserAsync(IStoreTransaction transaction, Guid userId, bool mayAssume,
        CancellationToken cancellationToken)
    {
        if (!TryCachedCaller(transaction, userId, mayAssume, out var user))
        {
            var stamp = await transaction.SecurityStampAsync(cancellationToken);
            if (stamp is null || !_profiles.TryGetCaller(stamp.Value, userId, out user))
            {
                var row = await transaction.RetrieveAsync(store.Catalog[MetadataCatalog.SystemUser], userId, CallerColumns, cancellationToken)
                    ?? throw new OrganizationServiceFaultException(ErrorCodes.Unauthorized, $"The user with SystemUserId = {userId} does not exist in this organization.");
                user = new Security.CallerFacts((Guid)row["businessunitid"]!, row["isdisabled"] is true);
                if (stamp is { } loadedAt)
                {
                    _profiles.AddCaller(loadedAt, userId, user);
                }
            }
        }

        if (user.IsDisabled)
        {
            throw new OrganizationServiceFaultException(ErrorCodes.Unauthorized, $"The user with SystemUserId = {userId} is disabled.");
        }

        return user;
    }

    /// <summary>
    /// The caller as cached under the stamp this message runs on. A message with no stamp yet whose caller is cached
    /// under the newest stamp runs on that stamp and confirms it with its first statement (TryAssumeSecurityStamp): on
    /// PostgreSQL one round trip less.
    /// </summary>
    private bool TryCachedCaller(IStoreTransaction transaction, Guid userId, bool mayAssume, out Security.CallerFacts user)
    {
        if (transaction.KnownSecurityStamp is { } known)
        {
            return _profiles.TryGetCaller(known, userId, out user);
        }

        var latest = _profiles.LatestStamp;
        return _profiles.TryGetCaller(latest, userId, out user) && mayAssume && transaction.TryAssumeSecurityStamp(latest);
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
