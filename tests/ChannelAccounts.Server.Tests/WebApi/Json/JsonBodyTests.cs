using System.Text.Json;
using ChannelAccounts.Server.Tests.Infrastructure;
using ChannelAccounts.Server.WebApi.Json;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;
using static ChannelAccounts.Server.Tests.WebApi.Bulk.BulkCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Json;

/// <summary>
/// A page that fits goes out whole with its Content-Length (one send, headers and body); a larger one streams chunked
/// from the threshold on, and is the same whole JSON document either way.
/// </summary>
public abstract class JsonBodyTests(IServerFixture server)
{
    [Fact]
    public async Task A_small_page_goes_out_with_its_Content_Length()
    {
        var tag = NewTag();
        using (var created = await server.Admin.PostAsync("CreateMultiple", Targets(Enumerable.Range(0, 3).Select(i => Target($"{tag} {i}")))))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        using var response = await server.Admin.SendAsync(Request(HttpMethod.Get, $"{Accounts}?$select=msdyn_name&$filter=startswith(msdyn_name,'{tag}')"),
            HttpCompletionOption.ResponseHeadersRead);
        var length = response.Content.Headers.ContentLength; // as sent: read before the body, which would make up a length
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal(bytes.Length, length);
        Assert.Equal(3, JsonDocument.Parse(bytes).RootElement.GetProperty("value").GetArrayLength());
    }

    [Fact]
    public async Task A_page_larger_than_the_threshold_streams_chunked_and_holds_every_record()
    {
        var tag = NewTag();
        var url = "https://contoso.example/" + new string('x', 470); // 150 records of about 650 bytes: past 64 KB well within one page
        foreach (var chunk in Enumerable.Range(0, 150).Chunk(50)) // the test server's request limit is 64 KB
        {
            using var created = await server.Admin.PostAsync("CreateMultiple",
                Targets(chunk.Select(i => Target($"{tag} {i:D3}", $"\"msdyn_twilioinboundurl\":\"{url}\""))));
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        using var response = await server.Admin.SendAsync(Request(HttpMethod.Get,
            $"{Accounts}?$select=msdyn_name,msdyn_twilioinboundurl&$filter=startswith(msdyn_name,'{tag}')&$orderby=msdyn_name"),
            HttpCompletionOption.ResponseHeadersRead);
        var length = response.Content.Headers.ContentLength;
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.True(bytes.Length > JsonBody.StreamFrom, $"the page is {bytes.Length} bytes");
        Assert.Null(length);
        Assert.True(response.Headers.TransferEncodingChunked);
        var names = JsonDocument.Parse(bytes).RootElement.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("msdyn_name").GetString());
        Assert.Equal(Enumerable.Range(0, 150).Select(i => $"{tag} {i:D3}"), names);
    }
}

public sealed class JsonBodyTestsOnSqlite(SqliteServerFixture server) : JsonBodyTests(server), IClassFixture<SqliteServerFixture>;

public sealed class JsonBodyTestsOnPostgres(PostgresServerFixture server) : JsonBodyTests(server), IClassFixture<PostgresServerFixture>;
