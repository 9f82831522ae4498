using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Bench.Loading;

/// <summary>The 100 business units (children of the root) and 100 users (user k in unit k) that own the loaded rows.</summary>
public sealed class BenchOwners
{
    public const int Count = 100;

    public BenchOwners(Guid organizationId, Guid rootBusinessUnitId)
    {
        OrganizationId = organizationId;
        RootBusinessUnitId = rootBusinessUnitId;
        BusinessUnits = Enumerable.Range(0, Count).Select(k => new Guid($"b0000000-0000-4000-8000-{k:D12}")).ToArray();
        Users = Enumerable.Range(0, Count).Select(k => new Guid($"a0000000-0000-4000-8000-{k:D12}")).ToArray();
    }

    public Guid OrganizationId { get; }

    public Guid RootBusinessUnitId { get; }

    public Guid[] BusinessUnits { get; }

    public Guid[] Users { get; }

    public IEnumerable<(string Table, Dictionary<string, object?> Row)> Rows(DateTime now)
    {
        for (var k = 0; k < Count; k++)
        {
            yield return (MetadataCatalog.BusinessUnit, new Dictionary<string, object?>
            {
                ["businessunitid"] = BusinessUnits[k],
                ["name"] = $"Region {k:D2}",
                ["parentbusinessunitid"] = RootBusinessUnitId,
                ["organizationid"] = OrganizationId,
                ["createdon"] = now,
                ["modifiedon"] = now,
                ["versionnumber"] = (long)(k + 1),
            });
        }
        for (var k = 0; k < Count; k++)
        {
            var first = FirstNames[k % FirstNames.Length];
            var last = LastNames[k / FirstNames.Length % LastNames.Length];
            yield return (MetadataCatalog.SystemUser, new Dictionary<string, object?>
            {
                ["systemuserid"] = Users[k],
                ["domainname"] = $"{first}.{last}{k}@bench.local".ToLowerInvariant(),
                ["firstname"] = first,
                ["lastname"] = last,
                ["fullname"] = $"{first} {last}",
                ["yomifullname"] = $"{first} {last}",
                ["internalemailaddress"] = $"{first}.{last}{k}@bench.local".ToLowerInvariant(),
                ["businessunitid"] = BusinessUnits[k],
                ["isdisabled"] = false,
                ["azureactivedirectoryobjectid"] = Guid.NewGuid(),
                ["applicationid"] = null,
                ["createdon"] = now,
                ["modifiedon"] = now,
                ["versionnumber"] = (long)(Count + k + 1),
            });
        }
    }

    private static readonly string[] FirstNames = ["Ana", "Ben", "Chloe", "Dev", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jon"];
    private static readonly string[] LastNames = ["Silva", "Novak", "Okafor", "Larsen", "Moreau", "Tanaka", "Rossi", "Kowalski", "Nguyen", "Haddad"];
}
