using System.CommandLine;
using ChannelAccounts.Server.Hosting;

// The command line: `serve` runs the server, `token` prints a bearer token. README.md documents both.
var database = new Option<string>("--db")
{
    Description = "sqlite:PATH (default) or postgres:CONNECTION-STRING",
    DefaultValueFactory = _ => ServerOptions.DefaultDatabase,
};

var urls = new Option<string>("--urls")
{
    Description = "Where to listen, e.g. http://127.0.0.1:5000",
    DefaultValueFactory = _ => ServerOptions.DefaultUrls,
};
var publicUrl = new Option<string?>("--public-url")
{
    Description = "The https address Twilio reaches this server at (inbound URLs are made from it); default the first --urls address",
};
var oidcAuthority = new Option<string?>("--oidc-authority")
{
    Description = "Also accept bearer tokens of this OpenID Connect issuer, e.g. https://login.microsoftonline.com/TENANT/v2.0",
};
var oidcAudience = new Option<string?>("--oidc-audience") { Description = "The audience external tokens must carry (with --oidc-authority)" };
var serve = new Command("serve", "Start the server (creates the organization and a first admin on an empty database).")
{
    urls, publicUrl, database, oidcAuthority, oidcAudience,
};
serve.SetAction((parse, cancellationToken) => Commands.ServeAsync(
    new ServerOptions
    {
        Urls = parse.GetValue(urls)!,
        PublicUrl = parse.GetValue(publicUrl),
        Database = parse.GetValue(database)!,
        ExternalAuthority = parse.GetValue(oidcAuthority),
        ExternalAudience = parse.GetValue(oidcAudience),
    }, cancellationToken));

var user = new Option<string?>("--user") { Description = "The domainname of the user (default: the first admin)" };
var tokenDatabase = new Option<string>("--db")
{
    Description = database.Description,
    DefaultValueFactory = _ => ServerOptions.DefaultDatabase,
};
var token = new Command("token", "Print a bearer token for a user of the database, valid on every server of that database.") { tokenDatabase, user };
token.SetAction((parse, cancellationToken) => Commands.TokenAsync(parse.GetValue(tokenDatabase)!, parse.GetValue(user), cancellationToken));

var root = new RootCommand("ChannelAccounts: the Dataverse table msdyn_ocwhatsappchannelaccount with Dataverse's Web API.") { serve, token };
return await root.Parse(args).InvokeAsync();
