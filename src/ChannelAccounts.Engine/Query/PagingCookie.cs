using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage;

namespace ChannelAccounts.Engine.Query;

/// <summary>
/// The keyset cursor: the values of the order columns (primary id last) of the last row of a page, with the
/// table, the ordering it belongs to and the page number. Base64url of a small JSON object:
/// {"e":"table","o":"msdyn_name desc,msdyn_ocwhatsappchannelaccountid desc","p":1,"k":["Contoso","0f8f..."]},
/// a dot, and a checksum of it. It is opaque to callers and fully validated when read back: anything off (an
/// edited value, another table or ordering, bad JSON) is an InvalidArgument fault. The checksum catches edits,
/// it is not a secret: a forged cursor could only start a page elsewhere in rows the caller may read anyway.
/// </summary>
internal static class PagingCookie
{
    public static string Encode(string entity, string ordering, int page, IReadOnlyList<KeyColumn> keys, object?[] values)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("e", entity);
            json.WriteString("o", ordering);
            json.WriteNumber("p", page);
            json.WriteStartArray("k");
            for (var i = 0; i < keys.Count; i++)
            {
                WriteValue(json, values[i]);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        var payload = buffer.ToArray();
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(Checksum(payload));
    }

    private static byte[] Checksum(byte[] payload) => SHA256.HashData(payload).AsSpan(0, 8).ToArray();

    /// <summary>The page number and key values the cookie holds, checked against the query's own ordering.</summary>
    public static (int Page, object?[] Values) Decode(string cookie, string entity, string ordering, IReadOnlyList<KeyColumn> keys)
    {
        try
        {
            var dot = cookie.IndexOf('.', StringComparison.Ordinal);
            var payload = Base64Url.DecodeFromChars(cookie.AsSpan(0, Math.Max(dot, 0)));
            if (dot < 0 || !CryptographicOperations.FixedTimeEquals(Checksum(payload), Base64Url.DecodeFromChars(cookie.AsSpan(dot + 1))))
            {
                throw Invalid("it was altered or is not a paging cookie");
            }
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.GetProperty("e").GetString() != entity || root.GetProperty("o").GetString() != ordering)
            {
                throw Invalid("it was issued for a different table or ordering");
            }
            var page = root.GetProperty("p").GetInt32();
            var array = root.GetProperty("k");
            if (page < 1 || array.GetArrayLength() != keys.Count)
            {
                throw Invalid("it does not hold one value per order column");
            }
            var values = new object?[keys.Count];
            var i = 0;
            foreach (var element in array.EnumerateArray())
            {
                values[i] = ReadValue(element, keys[i].Column.Type);
                i++;
            }
            if (values[^1] is null)
            {
                throw Invalid("it has no primary id");
            }
            return (page, values);
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw Invalid("it is malformed");
        }
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(s); break;
            case Guid g: json.WriteStringValue(g); break;
            case int n: json.WriteNumberValue(n); break;
            case long n: json.WriteNumberValue(n); break;
            case bool b: json.WriteBooleanValue(b); break;
            case DateTime d: json.WriteStringValue(StorageValues.FormatDate(d)); break;
            default: throw new InvalidOperationException($"A paging cookie cannot hold a {value.GetType().Name}.");
        }
    }

    private static object? ReadValue(JsonElement element, AttributeTypeCode type) => element.ValueKind == JsonValueKind.Null
        ? null
        : type switch
        {
            _ when StorageValues.IsGuid(type) => element.GetGuid(),
            _ when StorageValues.IsInt32(type) => element.GetInt32(),
            AttributeTypeCode.BigInt => element.GetInt64(),
            AttributeTypeCode.Boolean => element.GetBoolean(),
            AttributeTypeCode.DateTime => StorageValues.ParseDate(element.GetString() ?? throw new FormatException()),
            _ => element.GetString(),
        };

    private static Sdk.Faults.OrganizationServiceFaultException Invalid(string reason) =>
        DataverseFault.InvalidArgument($"The paging cookie is not valid for this query: {reason}. Request the first page again without a paging cookie.");
}
