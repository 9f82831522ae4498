using System.Net;
using System.Text;
using System.Text.Json;
using ChannelAccounts.Bench.Http;
using ChannelAccounts.Bench.Loading;
using ChannelAccounts.Bench.Reporting;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Sdk;
using ChannelAccounts.Server.Auth;

namespace ChannelAccounts.Bench.Scenarios;

/// <summary>
/// Row security on the filtered page: the same request as a loaded user holding prvRead… at Local depth (one of the
/// 100 business units) and as the System Administrator (no row filter), alternating, one request after another.
/// </summary>
public static class SecurityScenarios
{
    /// <summary>The loaded user (and unit) that gets the Local-depth reader role.</summary>
    private const int UserIndex = 42;

    public static async Task RunLocalUserPageAsync(BenchContext bench)
    {
        var owners = new BenchOwners(Guid.Empty, bench.Organization.RootBusinessUnitId);
        var userId = owners.Users[UserIndex];
        var unitId = owners.BusinessUnits[UserIndex];

        // The role, its privilege and the assignment through the Web API as the administrator (security stamp moves).
        var role = await CreateAsync(bench, "roles",
            $$"""{"name":"Bench Local reader","businessunitid@odata.bind":"/businessunits({{bench.Organization.RootBusinessUnitId}})"}""");
        var read = SecurityCatalog.Privilege("prvReadmsdyn_ocwhatsappchannelaccount").Id;
        await PostAsync(bench, $"roles({role})/Microsoft.Dynamics.CRM.AddPrivilegesRole",
            $$"""{"Privileges":[{"PrivilegeId":"{{read}}","Depth":"Local"}]}""");
        await PostAsync(bench, $"systemusers({userId})/systemuserroles_association/$ref", $$"""{"@odata.id":"roles({{role}})"}""");

        var tokens = await TokenIssuer.LoadAsync(bench.Store);
        using var userClient = BenchClient.Create(1, tokens.Issue(userId));
        var url = bench.Url(BenchContext.EntitySet + "?" + QueryScenarios.Encode(QueryScenarios.FilterQuery));
        var userRows = await CountAsync(userClient, url);
        var adminRows = await CountAsync(bench.Client, url);

        // The SQL the user's request compiles to (the row filter AccessChecker.ReadFilterAsync builds for one Local grant).
        var security = new RowSecurity([userId], [unitId], [userId], (int)AccessRights.ReadAccess);
        await using (var raw = await RawSqlQuery.CompileAsync(bench.Store, bench.Database.ConnectionString, QueryScenarios.FilterQuery,
            userId, unitId, security))
        {
            bench.Result.Listings.Add(("Filtered page as a Local-depth user: SQL (parameters: " +
                string.Join(", ", raw.ParameterValues.Select(v => v?.ToString() ?? "null")) + ")", raw.Sql));
            bench.Result.Listings.Add(("Filtered page as a Local-depth user: query plan", await raw.ExplainAsync()));
        }

        var (user, admin) = await bench.PhaseAsync("Filtered page, Local user and admin (server)", async () =>
        {
            var u = new List<double>();
            var a = new List<double>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.Elapsed < bench.WarmUp)
            {
                await TimeAsync(userClient, url);
                await TimeAsync(bench.Client, url);
            }
            clock.Restart();
            while (clock.Elapsed < bench.Duration)
            {
                u.Add(await TimeAsync(userClient, url));
                a.Add(await TimeAsync(bench.Client, url));
            }
            return (LatencySampler.Summarize(u), LatencySampler.Summarize(a));
        });
        var note = $"user {UserIndex} (unit {UserIndex} of {BenchOwners.Count}, prvRead at Local depth) gets {userRows} rows, " +
            $"the System Administrator {adminRows}; {user.Samples:N0} requests each, alternating";
        bench.Result.Figures.Add(new Figure("Filtered page of 50 as a Local-depth user, p50", user.P50, "ms",
            "same request as System Administrator, p50", admin.P50, false, 1.5, note));
        bench.Result.Figures.Add(new Figure("Filtered page of 50 as a Local-depth user, p99", user.P99, "ms",
            "same request as System Administrator, p99", admin.P99, false, 1.5, note));
    }

    private static async Task<Guid> CreateAsync(BenchContext bench, string set, string json)
    {
        using var response = await SendAsync(bench, set, json);
        var location = response.Headers.GetValues("OData-EntityId").Single();
        var open = location.LastIndexOf('(');
        return Guid.Parse(location[(open + 1)..location.LastIndexOf(')')]);
    }

    private static async Task PostAsync(BenchContext bench, string relative, string json)
    {
        using var _ = await SendAsync(bench, relative, json);
    }

    private static async Task<HttpResponseMessage> SendAsync(BenchContext bench, string relative, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await bench.Client.PostAsync(bench.Url(relative), content);
        if (response.StatusCode != HttpStatusCode.NoContent)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.Dispose();
            throw new InvalidOperationException($"POST {relative} answered {(int)response.StatusCode}: {body}");
        }
        return response;
    }

    private static async Task<int> CountAsync(HttpClient client, Uri url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        }
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("value").GetArrayLength();
    }

    private static async Task<double> TimeAsync(HttpClient client, Uri url)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(url);
        _ = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}.");
        }
        return System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
