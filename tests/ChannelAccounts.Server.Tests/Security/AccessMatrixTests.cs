using System.Net;
using ChannelAccounts.Sdk;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.Security;

public enum Message
{
    Retrieve,
    RetrieveMultiple,
    Update,
    SetState,
    Delete,
    Assign,
    GrantAccess,
    RetrievePrincipalAccess,
}

/// <summary>
/// Every cell of depth × relation × message: allowed exactly where Dataverse's rules allow it, denied with
/// 0x80048306 (privilege held, no access to that record) everywhere else, through real HTTP with the user's token.
/// </summary>
public abstract class AccessMatrixTests(IServerFixture server, SecurityWorld world)
{
    public static TheoryData<PrivilegeDepth, Relation, Message> Cells()
    {
        var data = new TheoryData<PrivilegeDepth, Relation, Message>();
        foreach (var depth in Enum.GetValues<PrivilegeDepth>())
        {
            foreach (var relation in Enum.GetValues<Relation>())
            {
                foreach (var message in Enum.GetValues<Message>())
                {
                    data.Add(depth, relation, message);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Access_follows_depth_relation_and_message(PrivilegeDepth depth, Relation relation, Message message)
    {
        var id = await world.RecordAsync(relation, depth);
        using var user = server.ClientFor(world.UserAt[depth]);
        var allowed = SecurityWorld.Allows(depth, relation);

        if (message == Message.RetrieveMultiple)
        {
            var body = await user.GetJsonAsync($"{Accounts}?$select=msdyn_name&$filter=msdyn_ocwhatsappchannelaccountid eq {id}&$count=true");
            Assert.Equal(allowed ? 1 : 0, body.GetProperty("@odata.count").GetInt32());
            Assert.Equal(allowed ? 1 : 0, body.GetProperty("value").GetArrayLength());
            return;
        }

        using var response = await SendAsync(user, message, id);
        if (allowed)
        {
            Assert.True(response.IsSuccessStatusCode, $"{depth}/{relation}/{message}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        else
        {
            var (code, message_) = await response.ErrorAsync(HttpStatusCode.Forbidden);
            Assert.Equal("0x80048306", code);
            Assert.Contains(id.ToString(), message_);
        }
    }

    private Task<HttpResponseMessage> SendAsync(HttpClient user, Message message, Guid id) => message switch
    {
        Message.Retrieve => user.SendAsync(HttpMethod.Get, $"{Accounts}({id})"),
        Message.Update => user.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", """{"msdyn_name":"changed"}""", ("If-Match", "*")),
        Message.SetState => user.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", """{"statecode":1,"statuscode":2}""", ("If-Match", "*")),
        Message.Delete => user.SendAsync(HttpMethod.Delete, $"{Accounts}({id})"),
        Message.Assign => user.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", $$"""{"ownerid@odata.bind":"/systemusers({{world.SalesColleague}})"}""", ("If-Match", "*")),
        Message.GrantAccess => user.SendAsync(HttpMethod.Post, "GrantAccess",
            $$$"""{"Target":{"@odata.type":"Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount","msdyn_ocwhatsappchannelaccountid":"{{{id}}}"},"PrincipalAccess":{"Principal":{"@odata.type":"Microsoft.Dynamics.CRM.systemuser","systemuserid":"{{{world.RootColleague}}}"},"AccessMask":"ReadAccess"}}"""),
        Message.RetrievePrincipalAccess => user.SendAsync(HttpMethod.Get,
            $"systemusers({world.SalesColleague})/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@p1)?@p1={{'@odata.id':'{Accounts}({id})'}}"),
        _ => throw new ArgumentOutOfRangeException(nameof(message)),
    };
}

public sealed class AccessMatrixTestsOnSqlite(SqliteSecurityFixture server) : AccessMatrixTests(server, server.World), IClassFixture<SqliteSecurityFixture>;

public sealed class AccessMatrixTestsOnPostgres(PostgresSecurityFixture server) : AccessMatrixTests(server, server.World), IClassFixture<PostgresSecurityFixture>;
