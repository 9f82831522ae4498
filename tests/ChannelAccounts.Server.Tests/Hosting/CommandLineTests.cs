using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;

namespace ChannelAccounts.Server.Tests.Hosting;

/// <summary>The command line as README documents it, run as real processes: `token` prints only a token, `serve` answers with it.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ca-cli-" + Guid.NewGuid().ToString("N"));

    private string Database => $"sqlite:{Path.Combine(_folder, "cli.db")}";

    [Fact]
    public async Task Token_prints_only_a_token_that_serve_accepts_on_the_same_database()
    {
        var (exit, output, error) = await RunAsync(["token", "--db", Database], TimeSpan.FromSeconds(60));
        Assert.True(exit == 0, error);
        var token = output.Trim();
        Assert.Equal(3, token.Split('.').Length);
        Assert.DoesNotContain('\n', token);

        var port = FreePort();
        using var server = Start(["serve", "--urls", $"http://127.0.0.1:{port}", "--db", Database]);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/data/v9.2/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var whoAmI = await WaitForAsync(client, "WhoAmI", TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.OK, whoAmI.StatusCode);
        var body = JsonDocument.Parse(await whoAmI.Content.ReadAsStringAsync()).RootElement;
        Assert.NotEqual(Guid.Empty, body.GetProperty("UserId").GetGuid());
    }

    [Fact]
    public async Task Token_for_an_unknown_user_fails_with_a_message()
    {
        var (exit, output, error) = await RunAsync(["token", "--db", Database, "--user", "nobody@example.test"], TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exit);
        Assert.Equal("", output.Trim());
        Assert.Contains("nobody@example.test", error);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ChannelAccounts.Server.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        using var process = Process.Start(StartInfo(arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await output, await error);
    }

    private static ServerProcess Start(IEnumerable<string> arguments)
    {
        var process = Process.Start(StartInfo(arguments))!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process);
    }

    private static async Task<HttpResponseMessage> WaitForAsync(HttpClient client, string url, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return await client.GetAsync(url);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class ServerProcess(Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }

            process.Dispose();
        }
    }
}
