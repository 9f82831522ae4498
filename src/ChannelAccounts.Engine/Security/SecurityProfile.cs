using ChannelAccounts.Sdk;

namespace ChannelAccounts.Engine.Security;

/// <summary>A privilege a principal holds through one role: how deep, and from which business unit the depth is measured.</summary>
public readonly record struct PrivilegeGrant(PrivilegeDepth Depth, Guid AnchorBusinessUnitId);

/// <summary>
/// What a principal may do, loaded from live data at the start of each message: its teams, the privileges of the
/// roles it holds directly and through its teams, and the business unit tree below each anchor.
/// </summary>
public sealed record SecurityProfile
{
    public required Guid PrincipalId { get; init; }

    public required bool IsTeam { get; init; }

    public required Guid BusinessUnitId { get; init; }

    /// <summary>The teams a user is a member of (for a team: itself). Records these own count as the principal's own.</summary>
    public required IReadOnlyList<Guid> TeamIds { get; init; }

    public required IReadOnlyDictionary<string, IReadOnlyList<PrivilegeGrant>> Grants { get; init; }

    /// <summary>Business units below (and including) each anchor a Deep grant reaches, resolved at load.</summary>
    public required IReadOnlyDictionary<Guid, IReadOnlySet<Guid>> Subtrees { get; init; }

    public required bool IsSystemAdministrator { get; init; }

    /// <summary>Column security: reads msdyn_authenticationtoken and msdyn_secureauthenticationtoken in clear.</summary>
    public required bool ReadsSecuredColumns { get; init; }

    public required int RoleCount { get; init; }

    /// <summary>The privileges a user holds through roles of its own, not through its teams' (prvActOnBehalfOfAnotherUser must be).</summary>
    public IReadOnlySet<string> DirectPrivileges { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// The rights an impersonated user has while <paramref name="impersonator"/> acts for it: Dataverse allows an action
    /// only when both hold the privilege it needs. A privilege the impersonator lacks is gone; one it holds less deeply
    /// is cut to its depth, measured from the impersonated user's own units as before. Column access and the
    /// administrator's standing need both users too. Ownership stays the impersonated user's.
    /// </summary>
    public SecurityProfile ImpersonatedBy(SecurityProfile impersonator)
    {
        var grants = new Dictionary<string, IReadOnlyList<PrivilegeGrant>>(StringComparer.Ordinal);
        foreach (var (privilege, held) in Grants)
        {
            if (impersonator.Grants.TryGetValue(privilege, out var theirs) && theirs.Count > 0)
            {
                var widest = theirs.Max(g => g.Depth);
                grants[privilege] = [.. held.Select(g => g with { Depth = g.Depth < widest ? g.Depth : widest })];
            }
        }

        return this with
        {
            Grants = grants,
            IsSystemAdministrator = IsSystemAdministrator && impersonator.IsSystemAdministrator,
            ReadsSecuredColumns = ReadsSecuredColumns && impersonator.ReadsSecuredColumns,
        };
    }

    public bool HasPrivilege(string name) => Grants.TryGetValue(name, out var grants) && grants.Count > 0;

    /// <summary>The principal itself and its teams: the owners whose records are "its own", and whose shares count.</summary>
    public IReadOnlyList<Guid> OwnPrincipalIds => [PrincipalId, .. TeamIds.Where(t => t != PrincipalId)];

    /// <summary>Whether one of the grants of the privilege reaches a record of that owner and business unit.</summary>
    public bool Reaches(string privilege, Guid ownerId, Guid owningBusinessUnitId)
    {
        if (!Grants.TryGetValue(privilege, out var grants) || grants.Count == 0)
        {
            return false;
        }

        // Owning a record (or being in the team that owns it) gives access at any depth.
        if (OwnPrincipalIds.Contains(ownerId))
        {
            return true;
        }

        foreach (var grant in grants)
        {
            var reached = grant.Depth switch
            {
                PrivilegeDepth.Global => true,
                PrivilegeDepth.Deep => Subtrees.TryGetValue(grant.AnchorBusinessUnitId, out var units) && units.Contains(owningBusinessUnitId),
                PrivilegeDepth.Local => grant.AnchorBusinessUnitId == owningBusinessUnitId,
                _ => false,
            };
            if (reached)
            {
                return true;
            }
        }

        return false;
    }
}
