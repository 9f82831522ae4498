namespace ChannelAccounts.Engine.Pipeline;

/// <summary>
/// Who a message runs as. UserId is the user whose rights apply (the impersonated user when impersonating);
/// RealUserId is who actually called, recorded in createdonbehalfby/modifiedonbehalfby when it differs.
/// </summary>
public sealed record CallerIdentity(Guid UserId, Guid RealUserId)
{
    public static CallerIdentity User(Guid userId) => new(userId, userId);

    public bool IsImpersonating => UserId != RealUserId;
}

/// <summary>The caller as loaded from live data at the start of a message.</summary>
public sealed record ResolvedCaller(Guid UserId, Guid BusinessUnitId, Guid RealUserId)
{
    public bool IsImpersonating => UserId != RealUserId;
}
