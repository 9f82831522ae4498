namespace ChannelAccounts.Engine.Pipeline;

/// <summary>
/// Who a message runs as. UserId is the user whose rights apply (the impersonated user when impersonating);
/// RealUserId is who actually called, recorded in createdonbehalfby/modifiedonbehalfby when it differs.
/// </summary>
public sealed record CallerIdentity(Guid UserId, Guid RealUserId)
{
    public static CallerIdentity User(Guid userId) => new(userId, userId);

    /// <summary>
    /// The real caller names, by its Entra object id (CallerObjectId), a user no systemuser has. Whether that is said is
    /// the engine's decision, after it has checked the real caller may impersonate at all.
    /// </summary>
    public static CallerIdentity UnknownObjectId(Guid realUserId, Guid objectId) => new(Guid.Empty, realUserId) { UnresolvedObjectId = objectId };

    public Guid? UnresolvedObjectId { get; init; }

    public bool IsImpersonating => UserId != RealUserId;
}

/// <summary>The caller as loaded from live data at the start of a message.</summary>
public sealed record ResolvedCaller(Guid UserId, Guid BusinessUnitId, Guid RealUserId)
{
    /// <summary>The real caller's business unit: its roles are measured from there when its rights cut the impersonated user's.</summary>
    public Guid RealBusinessUnitId { get; init; } = BusinessUnitId;

    public bool IsImpersonating => UserId != RealUserId;
}
