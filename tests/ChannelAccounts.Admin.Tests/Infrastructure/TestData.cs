using System.Text.Json;
using ChannelAccounts.Server.Tests.Infrastructure;

namespace ChannelAccounts.Admin.Tests.Infrastructure;

/// <summary>Names, SIDs and Web API reads the admin page tests check the screen against.</summary>
public static class TestData
{
    /// <summary>Tests of a collection share one database: names carry a tag to stay unique.</summary>
    public static string Tag() => Guid.NewGuid().ToString("N")[..6];

    /// <summary>A Twilio Account SID: AC and 32 hex characters.</summary>
    public static string NewSid() => "AC" + Guid.NewGuid().ToString("N");

    public const string Sid = "AC0123456789abcdef0123456789abcdef";

    /// <summary>The account as the first admin reads it through the Web API (secured columns included).</summary>
    public static Task<JsonElement> AccountAsync(this IServerFixture server, Guid id) =>
        server.Admin.GetJsonAsync($"{WebApiCalls.Accounts}({id})", ("Prefer", "odata.include-annotations=\"*\""));

    public static async Task<(Guid Id, JsonElement Row)> AccountNamedAsync(this IServerFixture server, string name)
    {
        var body = await server.Admin.GetJsonAsync($"{WebApiCalls.Accounts}?$filter=msdyn_name eq '{name}'");
        var row = Assert.Single(body.GetProperty("value").EnumerateArray());
        return (row.GetProperty("msdyn_ocwhatsappchannelaccountid").GetGuid(), row);
    }

    /// <summary>(principal type, id, rights) of each share, from RetrieveSharedPrincipalsAndAccess.</summary>
    public static async Task<List<(string Type, Guid Id, string Rights)>> SharesAsync(this IServerFixture server, Guid id)
    {
        var body = await server.Admin.GetJsonAsync(
            $"RetrieveSharedPrincipalsAndAccess(Target=@p1)?@p1={{'@odata.id':'{WebApiCalls.Accounts}({id})'}}");
        return body.GetProperty("PrincipalAccesses").EnumerateArray()
            .Select(p => (p.GetProperty("Principal").GetProperty("@odata.type").GetString()!.Replace("#Microsoft.Dynamics.CRM.", ""),
                p.GetProperty("Principal").GetProperty("ownerid").GetGuid(), p.GetProperty("AccessMask").GetString()!))
            .OrderBy(p => p.Item1)
            .ToList();
    }

    public static async Task ShareAsync(this IServerFixture server, Guid id, Guid userId, string rights)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Post, "GrantAccess",
            $$$"""{"Target":{"@odata.type":"Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount","msdyn_ocwhatsappchannelaccountid":"{{{id}}}"},"PrincipalAccess":{"Principal":{"@odata.type":"Microsoft.Dynamics.CRM.systemuser","systemuserid":"{{{userId}}}"},"AccessMask":"{{{rights}}}"}}""");
        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
    }
}
