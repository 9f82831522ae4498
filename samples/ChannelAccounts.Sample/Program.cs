using ChannelAccounts.Client;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.EarlyBound;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Sample;

/// <summary>
/// Creates (CreateMultiple), shares, assigns and deactivates (one ExecuteTransaction) and queries WhatsApp accounts
/// through the HTTP client.
/// Reads CHANNELACCOUNTS_URL (the server, e.g. http://127.0.0.1:5000) and CHANNELACCOUNTS_TOKEN (a bearer token).
/// </summary>
public static class SampleProgram
{
    public static async Task<int> Main()
    {
        var url = Environment.GetEnvironmentVariable("CHANNELACCOUNTS_URL");
        var token = Environment.GetEnvironmentVariable("CHANNELACCOUNTS_TOKEN");
        if (string.IsNullOrWhiteSpace(url) || string.IsNullOrWhiteSpace(token))
        {
            await Console.Error.WriteLineAsync("Set CHANNELACCOUNTS_URL (e.g. http://127.0.0.1:5000) and CHANNELACCOUNTS_TOKEN (see: channelaccounts token).");
            return 2;
        }

        try
        {
            await Run(new Uri(url), token, Console.Out);
            return 0;
        }
        catch (OrganizationServiceFaultException fault)
        {
            await Console.Error.WriteLineAsync($"Failed: {fault.Message} (error code {fault.ErrorCode}, {fault.Detail.HexCode})");
            return 1;
        }
        catch (Exception error) when (error is HttpRequestException or NotSupportedException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync("Failed: " + error.Message);
            return 1;
        }
    }

    /// <summary>The sample itself: every step prints one line; a failure throws.</summary>
    public static async Task Run(Uri serviceUri, string token, TextWriter? output = null)
    {
        output ??= TextWriter.Null;
        using var service = new ChannelAccountsServiceClient(serviceUri, _ => Task.FromResult(token));
        var me = (WhoAmIResponse)await service.ExecuteAsync(new WhoAmIRequest());
        await output.WriteLineAsync($"Signed in as user {me.UserId} (business unit {me.BusinessUnitId}).");

        var run = DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];
        // Both accounts in one CreateMultiple: all are created, or none.
        var accounts = new[] { "Support", "Sales" }.Select(name => new msdyn_ocwhatsappchannelaccount
        {
            msdyn_name = $"Sample {run} {name}",
            msdyn_provideraccountid = "AC" + Guid.NewGuid().ToString("N"),
        }).ToArray();
        var ids = ((CreateMultipleResponse)await service.ExecuteAsync(new CreateMultipleRequest
        {
            Targets = new EntityCollection([.. accounts]) { EntityName = msdyn_ocwhatsappchannelaccount.EntityLogicalName },
        })).Ids;
        for (var i = 0; i < accounts.Length; i++)
        {
            await output.WriteLineAsync($"Created account '{accounts[i].msdyn_name}' ({ids[i]}).");
        }

        var team = await service.CreateAsync(new Entity("team")
        {
            ["name"] = $"Sample reviewers {run}",
            ["businessunitid"] = new EntityReference("businessunit", me.BusinessUnitId),
        });
        await output.WriteLineAsync($"Created team 'Sample reviewers {run}' ({team}).");

        // A team owns records only with a role that lets it: give it Basic User (an Associate over $ref).
        var roles = new QueryByAttribute("role") { ColumnSet = new ColumnSet("name") };
        roles.AddAttributeValue("name", "Basic User");
        roles.AddAttributeValue("businessunitid", me.BusinessUnitId);
        var basicUser = (await service.RetrieveMultipleAsync(roles)).Entities.FirstOrDefault()
            ?? throw new InvalidOperationException("The business unit has no 'Basic User' role.");
        await service.AssociateAsync("team", team, new Relationship("teamroles_association"), [basicUser.ToEntityReference()]);
        await output.WriteLineAsync("Gave the team the Basic User role.");

        var support = new EntityReference(msdyn_ocwhatsappchannelaccount.EntityLogicalName, ids[0]);
        await service.ExecuteAsync(new GrantAccessRequest
        {
            Target = support,
            PrincipalAccess = new PrincipalAccess { Principal = new EntityReference("team", team), AccessMask = AccessRights.ReadAccess | AccessRights.WriteAccess },
        });
        await output.WriteLineAsync("Shared the Support account with the team (read, write).");

        // Assign and deactivate in one ExecuteTransaction (one $batch change set): both happen, or neither.
        await service.ExecuteAsync(new ExecuteTransactionRequest
        {
            Requests =
            [
                new AssignRequest { Target = new(msdyn_ocwhatsappchannelaccount.EntityLogicalName, ids[1]), Assignee = new EntityReference("team", team) },
                new SetStateRequest
                {
                    EntityMoniker = support,
                    State = new OptionSetValue((int)msdyn_ocwhatsappchannelaccount_statecode.Inactive),
                    Status = new OptionSetValue((int)msdyn_ocwhatsappchannelaccount_statuscode.Inactive),
                },
            ],
        });
        await output.WriteLineAsync("Assigned the Sales account to the team and deactivated the Support account, in one transaction.");

        var query = new QueryExpression(msdyn_ocwhatsappchannelaccount.EntityLogicalName) { ColumnSet = new ColumnSet("msdyn_name", "statecode", "ownerid") };
        query.Criteria.AddCondition("msdyn_name", ConditionOperator.BeginsWith, $"Sample {run}");
        query.AddOrder("msdyn_name", OrderType.Ascending);
        var found = (await service.RetrieveMultipleAsync(query)).Entities.Select(e => e.ToEntity<msdyn_ocwhatsappchannelaccount>()).ToList();
        foreach (var account in found)
        {
            await output.WriteLineAsync($"Found '{account.msdyn_name}': {account.statecode}, owned by {account.ownerid?.LogicalName} {account.ownerid?.Id}.");
        }

        // The sample checks what it did, so running it is a test of the server and the client.
        var sales = found.SingleOrDefault(a => a.Id == ids[1]);
        var deactivated = found.SingleOrDefault(a => a.Id == ids[0]);
        if (found.Count != 2 || !new EntityReference("team", team).Equals(sales?.ownerid) || deactivated?.statecode != msdyn_ocwhatsappchannelaccount_statecode.Inactive)
        {
            throw new InvalidOperationException(
                $"The query found {found.Count} accounts; expected the 2 the sample created, Sales owned by team {team} and Support inactive.");
        }
    }
}
