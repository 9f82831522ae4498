using System.Net;
using ChannelAccounts.Admin.Tests.Infrastructure;
using ChannelAccounts.Server.Admin;
using ChannelAccounts.Server.Tests.Infrastructure;

namespace ChannelAccounts.Admin.Tests;

/// <summary>How the server hands out the page, over plain HTTP (no browser).</summary>
[Collection(SqliteAdminFixture.Collection)]
public sealed class AdminPageHostingTests(SqliteAdminFixture fixture)
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Server.Root };

    [Fact]
    public async Task The_page_is_served_anonymously_with_a_strict_content_security_policy()
    {
        using var response = await _http.GetAsync("admin/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(AdminPage.ContentSecurityPolicy, response.Header("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", AdminPage.ContentSecurityPolicy);
        Assert.DoesNotContain("unsafe", AdminPage.ContentSecurityPolicy);
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
        Assert.Equal("DENY", response.Header("X-Frame-Options"));
        Assert.Contains("<script type=\"module\" src=\"app.js\"></script>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Admin_without_a_slash_redirects_to_the_page()
    {
        using var response = await _http.GetAsync("admin");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/admin/", response.Headers.Location?.AbsolutePath);
    }

    [Theory]
    [InlineData("admin/app.js", "text/javascript")]
    [InlineData("admin/access-view.js", "text/javascript")]
    [InlineData("admin/admin.css", "text/css")]
    public async Task Scripts_and_styles_are_served_from_the_assembly_with_their_types(string path, string type)
    {
        using var response = await _http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.ETag);
    }

    [Fact]
    public async Task The_Web_API_still_needs_a_token()
    {
        using var response = await _http.GetAsync("api/data/v9.2/msdyn_ocwhatsappchannelaccounts");

        Assert.Equal("0x8004a101", (await response.ErrorAsync(HttpStatusCode.Unauthorized)).Code);
    }
}
