using System.Diagnostics;
using System.Net;
using System.Text;
using ChannelAccounts.Bench.Reporting;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Engine.Storage;

namespace ChannelAccounts.Bench.Scenarios;

/// <summary>
/// CreateMultiple of 100,000 records in calls of 1,000 over HTTP (one caller), against the same rows — every column the
/// engine writes — inserted straight through the store's batched insert (IStoreTransaction.InsertManyAsync), 1,000
/// rows per transaction, on the same database. Target ≥ 50 % of that rate.
/// </summary>
public static class BulkScenarios
{
    public const int PerCall = 1_000;

    public static async Task RunAsync(BenchContext bench)
    {
        var records = bench.Options.BulkRecords;
        // A fifth of the count first: its peak RSS beside the full count's shows whether memory stays flat as it grows.
        var fewer = records / 5 / PerCall * PerCall;
        if (fewer > 0)
        {
            await bench.PhaseAsync($"CreateMultiple {fewer:N0} in calls of 1,000 (server; RSS against the next phase)", () => CreateMultipleAsync(bench, fewer));
        }

        var server = await bench.PhaseAsync($"CreateMultiple {records:N0} in calls of 1,000 (server)", () => CreateMultipleAsync(bench, records));
        var raw = await bench.PhaseAsync($"Raw batched insert {records:N0} (store, no HTTP)", () => RawInsertAsync(bench, records));
        bench.Result.Figures.Add(new Figure("CreateMultiple, calls of 1,000", records / server.TotalSeconds, "records/s",
            "store's batched INSERT of the same rows", records / raw.TotalSeconds, true, 0.50,
            $"{records:N0} records: {server.TotalSeconds:0.0} s over HTTP, {raw.TotalSeconds:0.0} s raw"));
    }

    private static async Task<TimeSpan> CreateMultipleAsync(BenchContext bench, int records)
    {
        var url = bench.Url($"{BenchContext.EntitySet}/Microsoft.Dynamics.CRM.CreateMultiple");
        var clock = Stopwatch.StartNew();
        for (var call = 0; call < records / PerCall; call++)
        {
            var body = new StringBuilder("{\"Targets\":[", PerCall * 160);
            for (var i = 0; i < PerCall; i++)
            {
                body.Append(i == 0 ? "" : ",")
                    .Append("{\"@odata.type\":\"Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount\",\"msdyn_name\":\"Bulk ")
                    .Append(call * PerCall + i).Append("\",\"msdyn_provideraccountid\":\"AC0123456789abcdef0123456789abcdef\"}");
            }

            using var content = new StringContent(body.Append("]}").ToString(), Encoding.UTF8, "application/json");
            using var response = await bench.Client.PostAsync(url, content);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"CreateMultiple answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        return clock.Elapsed;
    }

    private static async Task<TimeSpan> RawInsertAsync(BenchContext bench, int records)
    {
        var entity = bench.Store.Catalog[MetadataCatalog.WhatsAppAccount];
        var clock = Stopwatch.StartNew();
        for (var call = 0; call < records / PerCall; call++)
        {
            await using var transaction = await bench.Store.BeginAsync(TransactionMode.Write);
            var versions = await transaction.NextVersionsAsync(PerCall);
            var now = DateTime.UtcNow;
            var rows = new List<StoredRow>(PerCall);
            for (var i = 0; i < PerCall; i++)
            {
                rows.Add(Row(entity, bench.Organization, "Raw " + (call * PerCall + i), now, versions[i]));
            }

            await transaction.InsertManyAsync(entity, rows);
            await transaction.CommitAsync();
        }

        return clock.Elapsed;
    }

    /// <summary>Every column the engine writes when the first admin creates a record with a name and a provider account id.</summary>
    public static StoredRow Row(EntityDefinition entity, OrganizationInfo organization, string name, DateTime utcNow, long? version)
    {
        var admin = organization.AdminUserId;
        var now = OwnerTypes.ToStoredDateTime(utcNow);
        var row = new StoredRow(20)
        {
            [entity.PrimaryIdAttribute] = RecordIds.New(), // the ids the engine gives its records
            ["msdyn_name"] = name,
            ["msdyn_provideraccountid"] = "AC0123456789abcdef0123456789abcdef",
            ["statecode"] = 0,
            ["statuscode"] = 1,
            ["createdon"] = now,
            ["overriddencreatedon"] = null,
            ["modifiedon"] = now,
            ["createdby"] = admin,
            ["modifiedby"] = admin,
            ["createdonbehalfby"] = null,
            ["modifiedonbehalfby"] = null,
            ["ownerid"] = admin,
            ["owneridtype"] = OwnerTypes.OwnerTypeCode(MetadataCatalog.SystemUser),
            ["owninguser"] = admin,
            ["owningteam"] = null,
            ["owningbusinessunit"] = organization.RootBusinessUnitId,
        };
        if (version is { } number)
        {
            row["versionnumber"] = number;
        }
        return row;
    }
}
