using System.Net;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Errors;

/// <summary>Every kind of bad input is a 4xx with a Dataverse-shaped error that says what to fix, and nothing is written.</summary>
public abstract class BadRequestTests(IServerFixture server)
{
    private async Task<(string Code, string Message)> CreateFailsAsync(string body, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var before = await CountAsync();
        using var response = await server.Admin.SendAsync(HttpMethod.Post, Accounts, body);
        var error = await response.ErrorAsync(status);
        Assert.Equal(before, await CountAsync());
        return error;
    }

    private async Task<int> CountAsync()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}/$count");
        return int.Parse(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_string_over_its_MaxLength_is_0x80044331_with_Dataverses_message()
    {
        var (code, message) = await CreateFailsAsync($$"""{"msdyn_name":"{{new string('x', 101)}}"}""");

        Assert.Equal("0x80044331", code);
        Assert.Equal("A validation error occurred.  The length of the 'msdyn_name' attribute of the 'msdyn_ocwhatsappchannelaccount' entity exceeded the maximum allowed length of '100'.", message);
    }

    [Fact]
    public async Task A_string_at_its_MaxLength_is_accepted()
    {
        var id = await server.Admin.CreateAccountAsync(new string('y', 100));

        Assert.NotEqual(Guid.Empty, id);
    }

    [Fact]
    public async Task An_integer_out_of_range_is_400()
    {
        var (_, message) = await CreateFailsAsync("""{"msdyn_name":"x","timezoneruleversionnumber":-2}""");

        Assert.Contains("timezoneruleversionnumber", message);
        Assert.Contains("-1 to 2147483647", message);
    }

    [Fact]
    public async Task An_integer_too_large_for_Int32_is_400()
    {
        var (_, message) = await CreateFailsAsync("""{"msdyn_name":"x","importsequencenumber":2147483648}""");

        Assert.Contains("Edm.Int32", message);
    }

    [Theory]
    [InlineData("""{"msdyn_name":5}""", "Edm.String")]
    [InlineData("""{"msdyn_name":"x","importsequencenumber":"7"}""", "Edm.Int32")]
    [InlineData("""{"msdyn_name":"x","statuscode":true}""", "Edm.Int32")]
    [InlineData("""{"msdyn_name":"x","overriddencreatedon":"yesterday"}""", "Edm.DateTimeOffset")]
    [InlineData("""{"msdyn_ocwhatsappchannelaccountid":"not-a-guid"}""", "Edm.Guid")]
    public async Task A_value_of_the_wrong_JSON_type_is_0x80048d19_naming_the_expected_type(string body, string expectedType)
    {
        var (code, message) = await CreateFailsAsync(body);

        Assert.Equal("0x80048d19", code);
        Assert.Contains(expectedType, message);
    }

    [Fact]
    public async Task An_unknown_property_in_the_body_is_400_naming_it()
    {
        var (code, message) = await CreateFailsAsync("""{"msdyn_name":"x","msdyn_colour":"blue"}""");

        Assert.Equal("0x0", code);
        Assert.Equal("The property 'msdyn_colour' does not exist on type 'Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount'. Make sure to only use property names that are defined by the type or mark the type as open type.", message);
    }

    [Fact]
    public async Task Property_names_are_case_sensitive()
    {
        var (_, message) = await CreateFailsAsync("""{"MSDYN_NAME":"x"}""");

        Assert.Contains("'MSDYN_NAME'", message);
    }

    [Theory]
    [InlineData("{\"msdyn_name\":")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("")]
    public async Task Malformed_JSON_is_0x80048d19(string body)
    {
        var (code, _) = await CreateFailsAsync(body);

        Assert.Equal("0x80048d19", code);
    }

    [Fact]
    public async Task A_bind_to_the_wrong_table_is_400()
    {
        var (_, message) = await CreateFailsAsync($$"""{"msdyn_name":"x","ownerid@odata.bind":"/businessunits({{server.Organization.RootBusinessUnitId}})"}""");

        Assert.Contains("ownerid", message);
    }

    [Fact]
    public async Task A_bind_to_something_that_is_not_a_uri_is_400()
    {
        var (_, message) = await CreateFailsAsync("""{"msdyn_name":"x","ownerid@odata.bind":"bob"}""");

        Assert.Contains("ownerid@odata.bind", message);
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_413()
    {
        var big = new string('z', 70 * 1024);

        await CreateFailsAsync($$"""{"msdyn_name":"x","msdyn_twilioinboundurl":"{{big}}"}""", HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("$select=msdyn_colour", "Could not find a property named 'msdyn_colour' on type 'Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount'.")]
    [InlineData("$filter=msdyn_colour eq 'x'", "Could not find a property named 'msdyn_colour' on type 'Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount'.")]
    [InlineData("$orderby=msdyn_colour", "Could not find a property named 'msdyn_colour' on type 'Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount'.")]
    public async Task An_unknown_property_in_a_query_option_is_400_with_the_parsers_message(string query, string expected)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}?{query}");

        var (code, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("0x0", code);
        Assert.Equal(expected, message);
    }

    [Theory]
    [InlineData("$filter=msdyn_name eq 'O'Bryan'")]
    [InlineData("$filter=msdyn_name eq")]
    [InlineData("$filter=(msdyn_name eq 'x'")]
    [InlineData("$top=-1")]
    [InlineData("$top=abc")]
    [InlineData("$orderby=msdyn_name sideways")]
    [InlineData("$filter=not Microsoft.Dynamics.CRM.Today(PropertyName='createdon')")]
    [InlineData("$filter=Microsoft.Dynamics.CRM.Nonsense(PropertyName='createdon')")]
    public async Task Bad_OData_syntax_is_400(string query)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}?{query}");

        await response.ErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_unknown_entity_set_is_404_0x8006088a()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, "accounts");

        var (code, message) = await response.ErrorAsync(HttpStatusCode.NotFound);
        Assert.Equal("0x8006088a", code);
        Assert.Equal("Resource not found for the segment 'accounts'.", message);
    }

    [Fact]
    public async Task A_wrong_verb_is_405()
    {
        var id = await server.Admin.CreateAccountAsync("Verb");

        using var put = await server.Admin.SendAsync(HttpMethod.Put, $"{Accounts}({id})", """{"msdyn_name":"x"}""");
        await put.ErrorAsync(HttpStatusCode.MethodNotAllowed);
        using var delete = await server.Admin.SendAsync(HttpMethod.Delete, Accounts);
        await delete.ErrorAsync(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task WhoAmI_by_POST_is_404_no_resource()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Post, "WhoAmI", "{}");

        var (code, message) = await response.ErrorAsync(HttpStatusCode.NotFound);
        Assert.StartsWith("No HTTP resource was found that matches the request URI", message);
        Assert.Equal("", code); // Dataverse's routing layer names no code
    }

    [Fact]
    public async Task A_batch_that_is_not_multipart_is_415_naming_batch()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Post, "$batch", "x");

        var (_, message) = await response.ErrorAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("$batch", message);
    }
}

public sealed class BadRequestTestsOnSqlite(SqliteServerFixture server) : BadRequestTests(server), IClassFixture<SqliteServerFixture>;

public sealed class BadRequestTestsOnPostgres(PostgresServerFixture server) : BadRequestTests(server), IClassFixture<PostgresServerFixture>;
