namespace ChannelAccounts.Engine.Security.Secrets;

/// <summary>
/// Encrypts the values of secured columns before they reach the database and decrypts them on read. A stored
/// value carries a prefix naming its format, so plain values written before encryption existed still read back.
/// </summary>
public interface ISecretProtector
{
    /// <summary>The text to store for a plain value: never contains the plain value.</summary>
    string Protect(string plain);

    /// <summary>
    /// The plain value of a stored text. A protected value whose key is gone (or that was tampered with) is a
    /// fault naming the problem, never the stored text.
    /// </summary>
    string Unprotect(string stored);
}
