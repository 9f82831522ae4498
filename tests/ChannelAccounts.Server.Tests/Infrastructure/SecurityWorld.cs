using ChannelAccounts.Engine.Security;
using ChannelAccounts.Sdk;

namespace ChannelAccounts.Server.Tests.Infrastructure;

/// <summary>How a record stands to the user whose access is tested.</summary>
public enum Relation
{
    Owner,
    OwningTeamMember,
    SameBusinessUnit,
    ChildBusinessUnit,
    ParentBusinessUnit,
    OtherBusinessUnit,
    SharedWithUser,
    SharedWithTeam,
}

/// <summary>
/// The organization the security tests run in: root → Sales → Sales East, and root → Support. One user per depth
/// sits in Sales with a role giving every privilege of the table at that depth and is a member of the Sales team;
/// colleagues own records around them.
/// </summary>
public sealed class SecurityWorld
{
    public required IServerFixture Server { get; init; }

    public required Guid Root { get; init; }

    public required Guid Sales { get; init; }

    public required Guid SalesEast { get; init; }

    public required Guid Support { get; init; }

    public required Guid SalesTeam { get; init; }

    public required IReadOnlyDictionary<PrivilegeDepth, Guid> UserAt { get; init; }

    public required Guid SalesColleague { get; init; }

    public required Guid EastColleague { get; init; }

    public required Guid RootColleague { get; init; }

    public required Guid SupportColleague { get; init; }

    public static async Task<SecurityWorld> BuildAsync(IServerFixture server)
    {
        var store = server.Store;
        var root = server.Organization.RootBusinessUnitId;
        var tag = Guid.NewGuid().ToString("N")[..6];
        var sales = await Principals.AddBusinessUnitAsync(store, "Sales " + tag, root);
        var east = await Principals.AddBusinessUnitAsync(store, "Sales East " + tag, sales);
        var support = await Principals.AddBusinessUnitAsync(store, "Support " + tag, root);
        var team = await Principals.AddTeamAsync(store, "Sales team " + tag, sales);
        // An owner team needs a role that reads the table, as in Dataverse; its members hold more than that anyway.
        await Principals.AssignTeamRoleAsync(store, team, await Principals.AddRoleAsync(store, "Team read " + tag, root, PrivilegeDepth.Basic, AccessRights.ReadAccess));

        var users = new Dictionary<PrivilegeDepth, Guid>();
        foreach (var depth in Enum.GetValues<PrivilegeDepth>())
        {
            var role = await Principals.AddRoleAsync(store, $"All at {depth} {tag}", root, depth);
            var user = await Principals.AddUserAsync(store, depth.ToString(), "User" + tag, sales);
            await Principals.AssignRoleAsync(store, user, role);
            await Principals.AddTeamMemberAsync(store, team, user);
            users[depth] = user;
        }

        async Task<Guid> Colleague(string name, Guid unit)
        {
            var user = await Principals.AddUserAsync(store, name, "Colleague" + tag, unit);
            await Principals.AssignRoleAsync(store, user, SecurityCatalog.BasicUserRoleId);
            return user;
        }

        return new SecurityWorld
        {
            Server = server,
            Root = root,
            Sales = sales,
            SalesEast = east,
            Support = support,
            SalesTeam = team,
            UserAt = users,
            SalesColleague = await Colleague("Sam", sales),
            EastColleague = await Colleague("Eve", east),
            RootColleague = await Colleague("Rob", root),
            SupportColleague = await Colleague("Sue", support),
        };
    }

    /// <summary>A fresh record standing in the given relation to the user at that depth (created by the admin).</summary>
    public async Task<Guid> RecordAsync(Relation relation, PrivilegeDepth depth)
    {
        var admin = Server.Admin;
        var owner = relation switch
        {
            Relation.Owner => $"/systemusers({UserAt[depth]})",
            Relation.OwningTeamMember => $"/teams({SalesTeam})",
            Relation.SameBusinessUnit => $"/systemusers({SalesColleague})",
            Relation.ChildBusinessUnit => $"/systemusers({EastColleague})",
            Relation.ParentBusinessUnit => $"/systemusers({RootColleague})",
            _ => $"/systemusers({SupportColleague})",
        };
        var id = await admin.CreateAccountAsync($"{relation} of {depth}", $"\"ownerid@odata.bind\":\"{owner}\"");
        var principal = relation switch
        {
            Relation.SharedWithUser => $"{{\"@odata.type\":\"Microsoft.Dynamics.CRM.systemuser\",\"systemuserid\":\"{UserAt[depth]}\"}}",
            Relation.SharedWithTeam => $"{{\"@odata.type\":\"Microsoft.Dynamics.CRM.team\",\"teamid\":\"{SalesTeam}\"}}",
            _ => null,
        };
        if (principal is not null)
        {
            using var response = await admin.SendAsync(HttpMethod.Post, "GrantAccess",
                $$$"""{"Target":{"@odata.type":"Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount","msdyn_ocwhatsappchannelaccountid":"{{{id}}}"},"PrincipalAccess":{"Principal":{{{principal}}},"AccessMask":"ReadAccess, WriteAccess, AppendAccess, AppendToAccess, DeleteAccess, ShareAccess, AssignAccess"}}""");
            Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
        }

        return id;
    }

    /// <summary>Whether Dataverse's rules let a user holding every privilege at this depth act on a record in this relation.</summary>
    public static bool Allows(PrivilegeDepth depth, Relation relation) => relation switch
    {
        Relation.Owner or Relation.OwningTeamMember or Relation.SharedWithUser or Relation.SharedWithTeam => true,
        Relation.SameBusinessUnit => depth >= PrivilegeDepth.Local,
        Relation.ChildBusinessUnit => depth >= PrivilegeDepth.Deep,
        _ => depth == PrivilegeDepth.Global,
    };
}

public sealed class SqliteSecurityFixture : ServerFixture<ChannelAccounts.Testing.SqliteStoreFixture>
{
    public SecurityWorld World { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        World = await SecurityWorld.BuildAsync(this);
    }
}

public sealed class PostgresSecurityFixture : ServerFixture<ChannelAccounts.Testing.PostgresStoreFixture>
{
    public SecurityWorld World { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        World = await SecurityWorld.BuildAsync(this);
    }
}
