using System.Net;
using System.Text.Json;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Errors;

/// <summary>The error annotations Dataverse adds inside "error" when Prefer: odata.include-annotations asks for them.</summary>
public abstract class ErrorDetailsTests(IServerFixture server)
{
    private async Task<JsonElement> ErrorOfMissingRecordAsync(params (string Name, string Value)[] headers)
    {
        var id = Guid.NewGuid();
        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({id})", null, headers);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("error");
    }

    [Theory]
    [InlineData("odata.include-annotations=\"*\"")]
    [InlineData("odata.include-annotations=\"OData.Community.Display.V1.FormattedValue,Microsoft.PowerApps.CDS.*\"")]
    public async Task Asked_for_the_error_carries_its_status_category_help_link_and_inner_message(string prefer)
    {
        var error = await ErrorOfMissingRecordAsync(("Prefer", prefer));

        Assert.Equal("0x80040217", error.GetProperty("code").GetString());
        Assert.Equal("404", error.GetProperty("@Microsoft.PowerApps.CDS.ErrorDetails.ApiExceptionHttpStatusCode").GetString());
        Assert.Equal("ClientError", error.GetProperty("@Microsoft.PowerApps.CDS.ErrorDetails.ApiExceptionCategory").GetString());
        Assert.Equal("http://go.microsoft.com/fwlink/?LinkID=398563&error=Microsoft.Crm.CrmException%3a80040217&client=platform",
            error.GetProperty("@Microsoft.PowerApps.CDS.HelpLink").GetString());
        Assert.Equal(error.GetProperty("message").GetString(), error.GetProperty("@Microsoft.PowerApps.CDS.InnerError.Message").GetString());
    }

    [Fact]
    public async Task Dataverses_ErrorDetails_star_pattern_selects_the_details_only()
    {
        var error = await ErrorOfMissingRecordAsync(("Prefer", "odata.include-annotations=\"Microsoft.PowerApps.CDS.ErrorDetails*\""));

        Assert.Equal("404", error.GetProperty("@Microsoft.PowerApps.CDS.ErrorDetails.ApiExceptionHttpStatusCode").GetString());
        Assert.False(error.TryGetProperty("@Microsoft.PowerApps.CDS.HelpLink", out _));
    }

    [Fact]
    public async Task Without_the_preference_the_error_holds_only_code_and_message()
    {
        var error = await ErrorOfMissingRecordAsync();

        Assert.Equal(["code", "message"], error.EnumerateObject().Select(p => p.Name));
    }
}

public sealed class ErrorDetailsTestsOnSqlite(SqliteServerFixture server) : ErrorDetailsTests(server), IClassFixture<SqliteServerFixture>;

public sealed class ErrorDetailsTestsOnPostgres(PostgresServerFixture server) : ErrorDetailsTests(server), IClassFixture<PostgresServerFixture>;
