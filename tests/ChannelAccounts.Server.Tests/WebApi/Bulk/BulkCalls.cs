using System.Globalization;
using System.Net;
using System.Text.Json;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Bulk;

/// <summary>Bodies and calls of the bulk actions.</summary>
public static class BulkCalls
{
    public const string TypeAnnotation = "\"@odata.type\":\"Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount\"";

    /// <summary>A target with the type annotation, a name and the required provider id, plus any extra properties.</summary>
    public static string Target(string name, string? extraJson = null) =>
        $"{{{TypeAnnotation},\"msdyn_name\":{JsonSerializer.Serialize(name)},\"msdyn_provideraccountid\":\"AC0123456789abcdef0123456789abcdef\"{(extraJson is null ? "" : "," + extraJson)}}}";

    public static string Targets(IEnumerable<string> targets) => $"{{\"Targets\":[{string.Join(",", targets)}]}}";

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, string action, string body) =>
        client.SendAsync(HttpMethod.Post, $"{Accounts}/Microsoft.Dynamics.CRM.{action}", body);

    /// <summary>How many records have a name starting with the tag (the test's own records).</summary>
    public static async Task<int> CountAsync(this HttpClient client, string tag)
    {
        using var response = await client.SendAsync(HttpMethod.Get, $"{Accounts}/$count?$filter=startswith(msdyn_name,'{tag}')");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return int.Parse(text.Trim('\uFEFF', ' '), CultureInfo.InvariantCulture);
    }

    public static string NewTag() => "b" + Guid.NewGuid().ToString("N")[..10];
}
