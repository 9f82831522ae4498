using System.Security.Cryptography;
using System.Text;

namespace ChannelAccounts.Server.WebApi.Metadata;

/// <summary>
/// MetadataId values: name-based GUIDs (RFC 4122 version 5 layout over SHA-1), so a table or column keeps its id
/// across restarts and servers without storing one.
/// </summary>
public static class MetadataIds
{
    public static Guid Entity(string logicalName) => From("entity:" + logicalName);

    public static Guid Attribute(string entity, string attribute) => From($"attribute:{entity}.{attribute}");

    public static Guid Relationship(string schemaName) => From("relationship:" + schemaName);

    public static Guid Key(string entity, string key) => From($"key:{entity}.{key}");

    public static Guid OptionSet(string entity, string attribute) => From($"optionset:{entity}.{attribute}");

    private static Guid From(string name)
    {
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(Encoding.UTF8.GetBytes("ChannelAccounts.Metadata/" + name), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
