using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Security;

/// <summary>
/// Loads a principal's SecurityProfile from live data in the message's transaction: memberships, roles (direct
/// and through teams), their privileges, and the business unit tree. With a cache, a profile is reused while the
/// database's security stamp is unchanged; every write to those tables changes the stamp, so a role granted or a
/// membership removed still applies to the very next call.
/// </summary>
public sealed class SecurityProfileLoader(IStoreTransaction transaction, DateTime utcNow, SecurityProfileCache? cache = null)
{
    private static readonly Dictionary<Guid, string> PrivilegeNames = SecurityCatalog.Privileges.ToDictionary(p => p.Id, p => p.Name);

    public ValueTask<SecurityProfile> ForUserAsync(Guid userId, Guid businessUnitId, CancellationToken cancellationToken) =>
        CachedAsync(new SecurityProfileCache.ProfileKey(userId, false, businessUnitId), cancellationToken);

    public ValueTask<SecurityProfile> ForTeamAsync(Guid teamId, Guid businessUnitId, CancellationToken cancellationToken) =>
        CachedAsync(new SecurityProfileCache.ProfileKey(teamId, true, businessUnitId), cancellationToken);

    private async ValueTask<SecurityProfile> CachedAsync(SecurityProfileCache.ProfileKey key, CancellationToken cancellationToken)
    {
        // A profile cached under the stamp this message runs on (read, or assumed and confirmed later) is current.
        var known = cache is null ? null : transaction.KnownSecurityStamp;
        if (known is { } runsOn && cache!.TryGetProfile(runsOn, key, out var cached))
        {
            return cached;
        }

        // The stamp is read (and any assumption confirmed) before the data: a profile is never older than the stamp
        // it is filed under. A stamp the message already knew was looked up just above.
        var stamp = cache is null ? null : await transaction.SecurityStampAsync(cancellationToken);
        if (stamp is { } current && current != known && cache!.TryGetProfile(current, key, out cached))
        {
            return cached;
        }

        var profile = key.IsTeam
            ? await LoadTeamAsync(key.PrincipalId, key.BusinessUnitId, cancellationToken)
            : await LoadUserAsync(key.PrincipalId, key.BusinessUnitId, cancellationToken);
        if (stamp is { } loadedAt)
        {
            cache!.AddProfile(loadedAt, key, profile);
        }

        return profile;
    }

    private async ValueTask<SecurityProfile> LoadUserAsync(Guid userId, Guid businessUnitId, CancellationToken cancellationToken)
    {
        var teamIds = (await RowsAsync(MetadataCatalog.TeamMembership, "systemuserid", [userId], ["teamid"], cancellationToken))
            .Select(r => (Guid)r["teamid"]!).Distinct().ToList();
        var teams = teamIds.Count == 0 ? []
            : await RowsAsync(MetadataCatalog.Team, "teamid", teamIds.Cast<object>().ToArray(), ["teamid", "businessunitid"], cancellationToken);

        // Each role is anchored where its holder sits: a user's roles at the user's unit, a team's at the team's.
        var ownRoles = (await RowsAsync(MetadataCatalog.SystemUserRoles, "systemuserid", [userId], ["roleid"], cancellationToken))
            .Select(r => (Guid)r["roleid"]!).ToHashSet();
        var anchoredRoles = ownRoles.Select(role => (role, businessUnitId)).ToList();
        anchoredRoles.AddRange(await TeamRolesAsync(teams, cancellationToken));
        return await BuildAsync(userId, isTeam: false, businessUnitId, teamIds, anchoredRoles, cancellationToken, ownRoles);
    }

    private async ValueTask<SecurityProfile> LoadTeamAsync(Guid teamId, Guid businessUnitId, CancellationToken cancellationToken)
    {
        var team = new StoredRow { ["teamid"] = teamId, ["businessunitid"] = businessUnitId };
        var anchoredRoles = await TeamRolesAsync([team], cancellationToken);
        return await BuildAsync(teamId, isTeam: true, businessUnitId, [teamId], anchoredRoles, cancellationToken);
    }

    private async ValueTask<List<(Guid RoleId, Guid Anchor)>> TeamRolesAsync(IReadOnlyList<StoredRow> teams, CancellationToken cancellationToken)
    {
        if (teams.Count == 0)
        {
            return [];
        }

        var unitOfTeam = teams.ToDictionary(t => (Guid)t["teamid"]!, t => (Guid)t["businessunitid"]!);
        var rows = await RowsAsync(MetadataCatalog.TeamRoles, "teamid", unitOfTeam.Keys.Cast<object>().ToArray(), ["teamid", "roleid"], cancellationToken);
        return rows.Select(r => ((Guid)r["roleid"]!, unitOfTeam[(Guid)r["teamid"]!])).ToList();
    }

    /// <param name="ownRoles">A user's roles of its own (not its teams'); null for a team.</param>
    private async ValueTask<SecurityProfile> BuildAsync(Guid principalId, bool isTeam, Guid businessUnitId, IReadOnlyList<Guid> teamIds,
        List<(Guid RoleId, Guid Anchor)> anchoredRoles, CancellationToken cancellationToken, IReadOnlySet<Guid>? ownRoles = null)
    {
        var roleIds = anchoredRoles.Select(r => (object)r.RoleId).Distinct().ToArray();
        var grants = new Dictionary<string, List<PrivilegeGrant>>(StringComparer.Ordinal);
        var direct = new HashSet<string>(StringComparer.Ordinal);
        var readsSecured = false;
        if (roleIds.Length > 0)
        {
            var privileges = await RowsAsync(MetadataCatalog.RolePrivileges, "roleid", roleIds, ["roleid", "privilegeid", "privilegedepthmask"], cancellationToken);
            foreach (var row in privileges)
            {
                if (!PrivilegeNames.TryGetValue((Guid)row["privilegeid"]!, out var name)
                    || SecurityCatalog.WidestDepth((int?)row["privilegedepthmask"] ?? 0) is not { } depth)
                {
                    continue;
                }

                foreach (var (_, anchor) in anchoredRoles.Where(r => r.RoleId == (Guid)row["roleid"]!))
                {
                    (grants.TryGetValue(name, out var list) ? list : grants[name] = []).Add(new PrivilegeGrant(depth, anchor));
                }

                if (ownRoles?.Contains((Guid)row["roleid"]!) == true)
                {
                    direct.Add(name);
                }
            }

            var roles = await RowsAsync(MetadataCatalog.Role, "roleid", roleIds, ["roleid", "ca_readsecuredcolumns"], cancellationToken);
            readsSecured = roles.Any(r => r["ca_readsecuredcolumns"] is true);
        }

        var isAdministrator = anchoredRoles.Any(r => r.RoleId == SecurityCatalog.SystemAdministratorRoleId);
        return new SecurityProfile
        {
            PrincipalId = principalId,
            IsTeam = isTeam,
            BusinessUnitId = businessUnitId,
            TeamIds = teamIds,
            Grants = grants.ToDictionary(g => g.Key, g => (IReadOnlyList<PrivilegeGrant>)g.Value, StringComparer.Ordinal),
            Subtrees = await SubtreesAsync(grants.Values.SelectMany(g => g).Where(g => g.Depth == PrivilegeDepth.Deep).Select(g => g.AnchorBusinessUnitId).ToHashSet(), cancellationToken),
            IsSystemAdministrator = isAdministrator,
            ReadsSecuredColumns = isAdministrator || readsSecured,
            RoleCount = roleIds.Length,
            DirectPrivileges = direct,
        };
    }

    /// <summary>For each Deep anchor, the units below it and itself, from the live parentbusinessunitid tree.</summary>
    private async ValueTask<IReadOnlyDictionary<Guid, IReadOnlySet<Guid>>> SubtreesAsync(HashSet<Guid> anchors, CancellationToken cancellationToken)
    {
        var result = new Dictionary<Guid, IReadOnlySet<Guid>>();
        if (anchors.Count == 0)
        {
            return result;
        }

        var units = await RowsAsync(MetadataCatalog.BusinessUnit, null, [], ["businessunitid", "parentbusinessunitid"], cancellationToken);
        var children = units.Where(u => u["parentbusinessunitid"] is Guid)
            .ToLookup(u => (Guid)u["parentbusinessunitid"]!, u => (Guid)u["businessunitid"]!);
        foreach (var anchor in anchors)
        {
            var subtree = new HashSet<Guid> { anchor };
            var pending = new Stack<Guid>([anchor]);
            while (pending.TryPop(out var unit))
            {
                foreach (var child in children[unit])
                {
                    if (subtree.Add(child))
                    {
                        pending.Push(child);
                    }
                }
            }

            result[anchor] = subtree;
        }

        return result;
    }

    /// <summary>A business unit and every unit below it, from the live tree.</summary>
    public async ValueTask<IReadOnlySet<Guid>> SubtreeAsync(Guid unit, CancellationToken cancellationToken) =>
        (await SubtreesAsync([unit], cancellationToken))[unit];

    private async ValueTask<IReadOnlyList<StoredRow>> RowsAsync(string table, string? column, object[] values, string[] columns, CancellationToken cancellationToken)
    {
        var query = new QueryExpression(table) { ColumnSet = new ColumnSet(columns) };
        if (column is not null)
        {
            query.Criteria.AddCondition(column, values.Length == 1 ? ConditionOperator.Equal : ConditionOperator.In, values);
        }

        var rows = new List<StoredRow>();
        var context = new QueryContext(Guid.Empty, Guid.Empty, utcNow);
        while (true)
        {
            var page = await transaction.QueryAsync(query, context, cancellationToken);
            rows.AddRange(page.Rows);
            if (!page.MoreRecords)
            {
                return rows;
            }

            query.PageInfo.PagingCookie = page.PagingCookie;
        }
    }
}
