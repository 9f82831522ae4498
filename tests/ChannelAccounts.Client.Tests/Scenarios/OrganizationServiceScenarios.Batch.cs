using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Client.Tests.Scenarios;

/// <summary>ExecuteMultiple and ExecuteTransaction (over HTTP, one $batch each): results, faults, stopping and rolling back.</summary>
public abstract partial class OrganizationServiceScenarios
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExecuteMultiple_runs_every_request_in_order_and_returns_each_response(bool continueOnError)
    {
        var existing = await Admin.CreateAsync(Account("multiple existing"));
        var given = Guid.NewGuid();

        var response = (ExecuteMultipleResponse)await Admin.ExecuteAsync(new ExecuteMultipleRequest
        {
            Settings = new ExecuteMultipleSettings { ContinueOnError = continueOnError, ReturnResponses = true },
            Requests =
            [
                new CreateRequest { Target = Account("multiple created", given) },
                new UpdateRequest { Target = new Entity(Accounts, existing) { ["msdyn_name"] = Tag + " multiple updated" } },
                new RetrieveRequest { Target = new(Accounts, existing), ColumnSet = new ColumnSet("msdyn_name") },
                new WhoAmIRequest(),
            ],
        });

        Assert.False(response.IsFaulted);
        Assert.Equal([0, 1, 2, 3], response.Responses.Select(r => r.RequestIndex));
        Assert.All(response.Responses, r => Assert.Null(r.Fault));
        Assert.Equal(given, Assert.IsType<CreateResponse>(response.Responses[0].Response).id);
        Assert.IsType<UpdateResponse>(response.Responses[1].Response);
        Assert.Equal(Tag + " multiple updated", Assert.IsType<RetrieveResponse>(response.Responses[2].Response).Entity.GetAttributeValue<string>("msdyn_name"));
        Assert.Equal(world.Organization.AdminUserId, Assert.IsType<WhoAmIResponse>(response.Responses[3].Response).UserId);
    }

    [Fact]
    public async Task ExecuteMultiple_without_ReturnResponses_returns_nothing_when_every_request_succeeds()
    {
        var response = (ExecuteMultipleResponse)await Admin.ExecuteAsync(new ExecuteMultipleRequest
        {
            Settings = new ExecuteMultipleSettings { ContinueOnError = false, ReturnResponses = false },
            Requests = [new CreateRequest { Target = Account("quiet a") }, new CreateRequest { Target = Account("quiet b") }],
        });

        Assert.False(response.IsFaulted);
        Assert.Empty(response.Responses);
        Assert.Equal(2, await CountTaggedAsync("quiet"));
    }

    [Fact]
    public async Task ExecuteMultiple_with_ContinueOnError_runs_past_a_failing_request_and_returns_its_fault_at_its_index()
    {
        var missing = Guid.NewGuid();

        var response = (ExecuteMultipleResponse)await Admin.ExecuteAsync(new ExecuteMultipleRequest
        {
            Settings = new ExecuteMultipleSettings { ContinueOnError = true, ReturnResponses = true },
            Requests =
            [
                new CreateRequest { Target = Account("continue first") },
                new UpdateRequest { Target = new Entity(Accounts, missing) { ["msdyn_name"] = "x" } },
                new CreateRequest { Target = Account("continue " + new string('n', 120)) },
                new CreateRequest { Target = Account("continue last") },
            ],
        });

        Assert.True(response.IsFaulted);
        Assert.Equal([0, 1, 2, 3], response.Responses.Select(r => r.RequestIndex));
        Assert.IsType<CreateResponse>(response.Responses[0].Response);
        Assert.Equal(ErrorCodes.ObjectDoesNotExist, response.Responses[1].Fault!.ErrorCode);
        Assert.Contains(missing.ToString(), response.Responses[1].Fault!.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Null(response.Responses[1].Response);
        Assert.Equal(ErrorCodes.StringLengthTooLong, response.Responses[2].Fault!.ErrorCode);
        Assert.IsType<CreateResponse>(response.Responses[3].Response);
        Assert.Equal(2, await CountTaggedAsync("continue"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExecuteMultiple_without_ContinueOnError_stops_at_the_failing_request(bool returnResponses)
    {
        var response = (ExecuteMultipleResponse)await Admin.ExecuteAsync(new ExecuteMultipleRequest
        {
            Settings = new ExecuteMultipleSettings { ContinueOnError = false, ReturnResponses = returnResponses },
            Requests =
            [
                new CreateRequest { Target = Account("stop first") },
                new DeleteRequest { Target = new(Accounts, Guid.NewGuid()) },
                new CreateRequest { Target = Account("stop never") },
            ],
        });

        Assert.True(response.IsFaulted);
        var fault = Assert.Single(response.Responses, r => r.Fault is not null);
        Assert.Equal(1, fault.RequestIndex);
        Assert.Equal(ErrorCodes.ObjectDoesNotExist, fault.Fault!.ErrorCode);
        Assert.Equal(returnResponses ? [0, 1] : [1], response.Responses.Select(r => r.RequestIndex));
        if (returnResponses)
        {
            var created = Assert.IsType<CreateResponse>(response.Responses[0].Response).id;
            Assert.Equal(Tag + " stop first", (await Admin.RetrieveAsync(Accounts, created, new ColumnSet("msdyn_name"))).GetAttributeValue<string>("msdyn_name"));
        }

        Assert.Equal(1, await CountTaggedAsync("stop first"));
        Assert.Equal(0, await CountTaggedAsync("stop never"));
    }

    [Fact]
    public async Task ExecuteTransaction_runs_every_request_in_one_transaction_and_returns_their_responses()
    {
        var id = Guid.NewGuid();
        var upserted = Guid.NewGuid();

        var response = (ExecuteTransactionResponse)await Admin.ExecuteAsync(new ExecuteTransactionRequest
        {
            ReturnResponses = true,
            Requests =
            [
                new CreateRequest { Target = Account("transaction", id) },
                new UpdateRequest { Target = new Entity(Accounts, id) { ["msdyn_name"] = Tag + " transaction updated" } },
                new SetStateRequest { EntityMoniker = new(Accounts, id), State = new(1), Status = new(2) },
                new UpsertRequest { Target = Account("transaction upserted", upserted) },
                new UpsertRequest { Target = new Entity(Accounts, id) { ["msdyn_twilioinboundurl"] = "https://example.test/billing" } },
            ],
        });

        Assert.Equal(5, response.Responses.Count);
        Assert.Equal(id, Assert.IsType<CreateResponse>(response.Responses[0]).id);
        Assert.IsType<UpdateResponse>(response.Responses[1]);
        Assert.IsType<SetStateResponse>(response.Responses[2]);
        Assert.True(Assert.IsType<UpsertResponse>(response.Responses[3]).RecordCreated);
        Assert.False(Assert.IsType<UpsertResponse>(response.Responses[4]).RecordCreated);
        var record = await Admin.RetrieveAsync(Accounts, id, new ColumnSet("msdyn_name", "statecode", "msdyn_twilioinboundurl"));
        Assert.Equal(Tag + " transaction updated", record.GetAttributeValue<string>("msdyn_name"));
        Assert.Equal(new OptionSetValue(1), record.GetAttributeValue<OptionSetValue>("statecode"));
        Assert.Equal("https://example.test/billing", record.GetAttributeValue<string>("msdyn_twilioinboundurl"));
    }

    [Fact]
    public async Task ExecuteTransaction_rolls_back_every_request_when_one_fails_and_names_its_index()
    {
        var first = Guid.NewGuid();

        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => Admin.ExecuteAsync(new ExecuteTransactionRequest
        {
            Requests =
            [
                new CreateRequest { Target = Account("rolled back a", first) },
                new UpdateRequest { Target = new Entity(Accounts, first) { ["msdyn_name"] = Tag + " rolled back b" } },
                new UpdateRequest { Target = new Entity(Accounts, Guid.NewGuid()) { ["msdyn_name"] = "x" } },
                new CreateRequest { Target = Account("rolled back c") },
            ],
        }));

        Assert.Equal(ErrorCodes.ObjectDoesNotExist, fault.ErrorCode);
        Assert.Equal(2, fault.Detail.FaultedRequestIndex);
        Assert.Equal(0, await CountTaggedAsync("rolled back"));
    }

    [Fact]
    public async Task An_ExecuteMultiple_or_ExecuteTransaction_inside_ExecuteMultiple_faults_before_anything_runs()
    {
        foreach (OrganizationRequest nested in new OrganizationRequest[] { new ExecuteMultipleRequest(), new ExecuteTransactionRequest { Requests = [] } })
        {
            var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => Admin.ExecuteAsync(new ExecuteMultipleRequest
            {
                Settings = new ExecuteMultipleSettings { ContinueOnError = true, ReturnResponses = true },
                Requests = [new CreateRequest { Target = Account("nested outer") }, nested],
            }));

            Assert.Equal(ErrorCodes.InvalidArgument, fault.ErrorCode);
            Assert.Contains(nested.RequestName, fault.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, await CountTaggedAsync("nested outer"));
    }

    [Fact]
    public async Task An_ExecuteMultiple_inside_ExecuteTransaction_faults_at_its_index_and_nothing_is_left_behind()
    {
        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => Admin.ExecuteAsync(new ExecuteTransactionRequest
        {
            Requests = [new CreateRequest { Target = Account("nested transaction") }, new ExecuteMultipleRequest()],
        }));

        Assert.Equal(ErrorCodes.InvalidArgument, fault.ErrorCode);
        Assert.Equal(1, fault.Detail.FaultedRequestIndex);
        Assert.Equal(0, await CountTaggedAsync("nested transaction"));
    }

    /// <summary>How many of this test's accounts have a name starting with "{Tag} {prefix}".</summary>
    protected async Task<int> CountTaggedAsync(string prefix)
    {
        var query = new QueryExpression(Accounts) { ColumnSet = new ColumnSet("msdyn_name") };
        query.Criteria.AddCondition("msdyn_name", ConditionOperator.BeginsWith, $"{Tag} {prefix}");
        return (await Admin.RetrieveMultipleAsync(query)).Entities.Count;
    }
}
