using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Server.Auth;

namespace ChannelAccounts.Server.Hosting;

/// <summary>What the `serve` and `token` commands do.</summary>
public static class Commands
{
    public static async Task<int> ServeAsync(ServerOptions options, CancellationToken cancellationToken)
    {
        await using var store = DataStore.Open(options.Database, MetadataCatalog.Default);
        var organization = await OrganizationSetup.EnsureAsync(store, cancellationToken: cancellationToken);
        var tokens = await TokenIssuer.LoadAsync(store, cancellationToken);
        var secrets = await Engine.Security.Secrets.SecretProtection.CreateAsync(store, cancellationToken);
        WebApplication built;
        try
        {
            built = ServerApp.Build(options, store, tokens, secrets);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        await using var app = built;
        await app.StartAsync(cancellationToken);

        var dbArgument = options.Database == ServerOptions.DefaultDatabase ? "" : $" --db \"{options.Database}\"";
        Console.WriteLine($"ChannelAccounts is listening on {string.Join(", ", app.Urls)}");
        Console.WriteLine($"  Web API:  {app.Urls.First()}/api/data/v9.2/");
        Console.WriteLine($"  Admin:    {app.Urls.First()}/admin/");
        Console.WriteLine($"  Database: {Redact(options.Database)}");
        var publicUrl = app.Services.GetRequiredService<OrganizationEngine>().Options.PublicBaseUrl();
        Console.WriteLine($"  Twilio:   inbound URLs are {publicUrl?.AbsoluteUri.TrimEnd('/') ?? "(no --public-url)"}/twilio/whatsapp/<accountid>/inbound");
        Console.WriteLine(organization.CreatedNow
            ? $"  First start: created the organization, its root business unit and the admin user {organization.AdminDomainName}."
            : $"  Admin user: {organization.AdminDomainName}");
        Console.WriteLine($"  Get a token: dotnet run --project src/ChannelAccounts.Server -- token{dbArgument}");
        Console.WriteLine($"  Try it:      curl -H \"Authorization: Bearer $TOKEN\" {app.Urls.First()}/api/data/v9.2/WhoAmI");
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    public static async Task<int> TokenAsync(string database, string? domainName, CancellationToken cancellationToken)
    {
        await using var store = DataStore.Open(database, MetadataCatalog.Default);
        var organization = await OrganizationSetup.EnsureAsync(store, cancellationToken: cancellationToken);
        var userId = domainName is null ? organization.AdminUserId : await SystemUserLookup.FindAsync(store, "domainname", domainName, cancellationToken);
        if (userId is null)
        {
            await Console.Error.WriteLineAsync($"No user with domainname '{domainName}' in {Redact(database)}.");
            return 1;
        }

        var tokens = await TokenIssuer.LoadAsync(store, cancellationToken);
        Console.WriteLine(tokens.Issue(userId.Value));
        return 0;
    }


    /// <summary>Connection strings carry passwords; print only what identifies the database.</summary>
    private static string Redact(string database) =>
        System.Text.RegularExpressions.Regex.Replace(database, "(?i)(password|pwd)=[^;]*", "$1=***");
}
