using System.Net;
using ChannelAccounts.Engine.Security;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.Infrastructure;

/// <summary>Users whose records tests of related rows look at: each of its own last name, so a query can pick them.</summary>
public static class RecordOwners
{
    /// <summary>
    /// Basic users Zed, Aaron, Mia and Ned, last name <paramref name="tag"/>: Zed and Aaron own one active record
    /// each, Mia an active and an inactive one, Ned none. The records are named "tag first" ("tag Mia old" inactive).
    /// </summary>
    public static async Task<Dictionary<string, Guid>> SeedAsync(IServerFixture server, string tag)
    {
        var users = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var first in new[] { "Zed", "Aaron", "Mia", "Ned" })
        {
            var user = await Principals.AddUserAsync(server.Store, first, tag, server.Organization.RootBusinessUnitId);
            await Principals.AssignRoleAsync(server.Store, user, SecurityCatalog.BasicUserRoleId);
            users[first] = user;
            if (first == "Ned")
            {
                continue;
            }

            var owner = $$""" "ownerid@odata.bind":"/systemusers({{user}})" """;
            await server.Admin.CreateAccountAsync($"{tag} {first}", owner);
            if (first == "Mia")
            {
                var inactive = await server.Admin.CreateAccountAsync($"{tag} {first} old", owner);
                using var response = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({inactive})", """{"statecode":1,"statuscode":2}""");
                Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            }
        }

        return users;
    }

    /// <summary>A Basic user of the root business unit, who reads none of the records above.</summary>
    public static async Task<HttpClient> BasicReaderAsync(IServerFixture server, string lastName)
    {
        var reader = await Principals.AddUserAsync(server.Store, "Reader", lastName, server.Organization.RootBusinessUnitId);
        await Principals.AssignRoleAsync(server.Store, reader, SecurityCatalog.BasicUserRoleId);
        return server.ClientFor(reader);
    }
}
