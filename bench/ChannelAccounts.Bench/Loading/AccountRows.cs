using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Bench.Loading;

/// <summary>
/// The value of every stored column of msdyn_ocwhatsappchannelaccount for row i, computed from i alone (so the
/// benchmark can pick a random existing id without keeping a million ids in memory). Names follow
/// "&lt;Company&gt; &lt;6 digits&gt; &lt;Team&gt;", e.g. "Acme 123456 Support"; 80 % active; created over one year.
/// </summary>
public sealed class AccountRows(BenchOwners owners, DateTime end)
{
    public const long FirstVersion = 1_000;

    public static readonly string[] Companies = ["Acme", "Contoso", "Fabrikam", "Northwind", "Tailspin", "Woodgrove", "Litware", "Adatum", "Proseware", "Wingtip"];
    private static readonly string[] Teams = ["Support", "Sales", "Billing", "Returns", "Onboarding"];

    private readonly DateTime _start = end.AddDays(-365);

    /// <summary>A random-looking id from i; the version 4 and variant bits overwrite 6 of its 128 bits.</summary>
    public static Guid IdOf(long i)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, Mix((ulong)i));        // a bijection of i: unique
        BitConverter.TryWriteBytes(bytes[8..], Mix((ulong)i ^ 0x5bd1e995UL));
        bytes[7] = (byte)(bytes[7] & 0x0f | 0x40);                // version 4
        bytes[8] = (byte)(bytes[8] & 0x3f | 0x80);                // variant
        return new Guid(bytes);
    }

    /// <summary>The storage value (Guid, string, int, long, DateTime or null) of one column of row i.</summary>
    public object? Value(long i, string column)
    {
        var h = Mix((ulong)i + 0x9e3779b97f4a7c15UL);
        var user = (int)(h % BenchOwners.Count);
        var active = h / 7 % 10 < 8;
        var created = _start.AddSeconds((long)(h / 11 % (365UL * 24 * 3600)));
        var imported = i % 20 == 0;
        return column switch
        {
            "msdyn_ocwhatsappchannelaccountid" => IdOf(i),
            "msdyn_name" => $"{Companies[i % Companies.Length]} {h / 13 % 1_000_000:D6} {Teams[h / 17 % (ulong)Teams.Length]}",
            "msdyn_provideraccountid" => $"AC{h:x16}{Mix(h):x16}",
            "msdyn_authenticationtoken" => $"{Mix(h + 1):x16}{Mix(h + 2):x16}",
            "msdyn_secureauthenticationtoken" => $"{Mix(h + 3):x16}{Mix(h + 4):x16}",
            "msdyn_twilioinboundurl" => $"https://bench.invalid/twilio/inbound/{IdOf(i)}",
            "importsequencenumber" => imported ? (int)(i / 20_000 + 1) : null,
            "overriddencreatedon" => imported ? created.Date : null,
            "ownerid" or "owninguser" => owners.Users[user],
            "owneridtype" => 8,
            "owningteam" => null,
            "owningbusinessunit" => owners.BusinessUnits[user],
            "statecode" => active ? 0 : 1,
            "statuscode" => active ? 1 : 2,
            "timezoneruleversionnumber" => 4,
            "utcconversiontimezonecode" => h % 3 == 0 ? 85 : null,
            "createdby" => owners.Users[(user + 1) % BenchOwners.Count],
            "modifiedby" => owners.Users[(user + 2) % BenchOwners.Count],
            "createdonbehalfby" or "modifiedonbehalfby" => null,
            "createdon" => created,
            "modifiedon" => created.AddSeconds((long)(h / 19 % (30UL * 24 * 3600))) is var m && m < end ? m : end,
            "versionnumber" => FirstVersion + i,
            _ => throw new InvalidOperationException($"The loader has no value for the stored column '{column}'; add one."),
        };
    }

    public static IReadOnlyList<AttributeDefinition> StoredColumns(MetadataCatalog catalog) =>
        catalog[MetadataCatalog.WhatsAppAccount].StoredAttributes.ToList();

    private static ulong Mix(ulong x)
    {
        x ^= x >> 30;
        x *= 0xbf58476d1ce4e5b9UL;
        x ^= x >> 27;
        x *= 0x94d049bb133111ebUL;
        x ^= x >> 31;
        return x;
    }
}
