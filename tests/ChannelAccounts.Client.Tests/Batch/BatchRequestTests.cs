using ChannelAccounts.Client.Tests.Infrastructure;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Client.Tests.Batch;

/// <summary>What goes over the wire: ExecuteMultiple and ExecuteTransaction are one $batch request each.</summary>
public sealed class BatchRequestTests(HttpSqliteWorld world) : IClassFixture<HttpSqliteWorld>
{
    private const string Accounts = "msdyn_ocwhatsappchannelaccount";

    [Fact]
    public async Task ExecuteMultiple_of_writes_and_ExecuteTransaction_each_send_one_batch_request()
    {
        using var recorder = new RecordingHandler();
        using var client = new ChannelAccountsServiceClient(world.Root, _ => Task.FromResult(world.Tokens.Issue(world.Organization.AdminUserId)), recorder);
        await client.CreateAsync(Account("wire first")); // reads $metadata once
        recorder.Paths.Clear();

        await client.ExecuteAsync(new ExecuteMultipleRequest
        {
            Settings = new ExecuteMultipleSettings { ContinueOnError = true, ReturnResponses = true },
            Requests = [new CreateRequest { Target = Account("wire a") }, new CreateRequest { Target = Account("wire b") }, new WhoAmIRequest()],
        });
        var stopped = (ExecuteMultipleResponse)await client.ExecuteAsync(new ExecuteMultipleRequest
        {
            Settings = new ExecuteMultipleSettings { ContinueOnError = false, ReturnResponses = true },
            Requests = [new CreateRequest { Target = Account("wire c") }, new DeleteRequest { Target = new(Accounts, Guid.NewGuid()) }],
        });
        await client.ExecuteAsync(new ExecuteTransactionRequest
        {
            Requests = [new CreateRequest { Target = Account("wire d") }, new CreateRequest { Target = Account("wire e") }],
        });

        Assert.Equal(Enumerable.Repeat("/api/data/v9.2/$batch", 3), recorder.Paths);
        Assert.IsType<CreateResponse>(stopped.Responses[0].Response);
        Assert.NotNull(stopped.Responses[1].Fault);
    }

    private static Entity Account(string name) => new(Accounts)
    {
        ["msdyn_name"] = name,
        ["msdyn_provideraccountid"] = "AC" + new string('0', 32),
    };

    private sealed class RecordingHandler() : DelegatingHandler(new HttpClientHandler())
    {
        public List<string> Paths { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Paths)
            {
                Paths.Add(request.RequestUri!.AbsolutePath);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
