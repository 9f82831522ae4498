using System.Security.Cryptography;
using ChannelAccounts.Sdk.Faults;
using Microsoft.AspNetCore.DataProtection;

namespace ChannelAccounts.Engine.Security.Secrets;

/// <summary>
/// ISecretProtector over ASP.NET Core DataProtection: "ca1:" + the protected payload (base64url). A payload naming a
/// key this server's ring does not hold yet (another server made it since) reads the ring from the database again
/// once before giving up.
/// </summary>
internal sealed class DataProtectionSecretProtector : ISecretProtector
{
    public const string Prefix = "ca1:";
    public const string Purpose = "ChannelAccounts.SecuredColumns.v1";

    private readonly Func<IDataProtector> _reload;
    private volatile IDataProtector _protector;

    public DataProtectionSecretProtector(Func<IDataProtector> load)
    {
        _reload = load;
        _protector = load();
    }

    public string Protect(string plain)
    {
        ArgumentNullException.ThrowIfNull(plain);
        return Prefix + _protector.Protect(plain);
    }

    public string Unprotect(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return stored; // written before secured columns were encrypted
        }

        var payload = stored[Prefix.Length..];
        if (TryUnprotect(_protector, payload, out var plain))
        {
            return plain;
        }

        var reloaded = _reload();
        _protector = reloaded;
        return TryUnprotect(reloaded, payload, out plain)
            ? plain
            : throw new OrganizationServiceFaultException(ErrorCodes.UnexpectedError,
                "A secured column holds a value that cannot be decrypted: its DataProtection key is not in this database's key ring " +
                "(ca_dataprotectionkeys), or the stored value was altered. Write the column again to replace it.");
    }

    private static bool TryUnprotect(IDataProtector protector, string payload, out string plain)
    {
        try
        {
            plain = protector.Unprotect(payload);
            return true;
        }
        catch (CryptographicException)
        {
            // Unknown key, revoked key, or a payload that fails authentication; FormatException never reaches here
            // because DataProtection reports bad base64url as a CryptographicException too.
            plain = "";
            return false;
        }
    }
}
