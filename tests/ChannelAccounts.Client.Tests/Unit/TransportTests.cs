using System.Net;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Client.Tests.Unit;

public sealed class TransportTests
{
    private const string WhoAmIBody = """{"UserId":"00000000-0000-0000-0000-000000000001","BusinessUnitId":"00000000-0000-0000-0000-000000000002","OrganizationId":"00000000-0000-0000-0000-000000000003"}""";

    [Fact]
    public async Task A_dataverse_error_body_becomes_a_fault_with_the_code_as_the_sdks_negative_int()
    {
        using var handler = new ScriptedHandler(_ => Json(HttpStatusCode.NotFound, """{"error":{"code":"0x80040217","message":"msdyn_ocwhatsappchannelaccount With Id = 1 Does Not Exist"}}"""));
        using var client = Client(handler);

        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => client.ExecuteAsync(new WhoAmIRequest()));

        Assert.Equal(-2147220969, fault.ErrorCode);
        Assert.Equal("msdyn_ocwhatsappchannelaccount With Id = 1 Does Not Exist", fault.Message);
        Assert.Equal("0x80040217", fault.Detail.HexCode);
    }

    [Fact]
    public async Task Throttled_and_unavailable_answers_are_retried_after_retry_after()
    {
        var statuses = new Queue<HttpStatusCode>([HttpStatusCode.TooManyRequests, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK]);
        using var handler = new ScriptedHandler(_ =>
        {
            var status = statuses.Dequeue();
            var response = Json(status, status == HttpStatusCode.OK ? WhoAmIBody : """{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit."}}""");
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero);
            return response;
        });
        using var client = Client(handler);

        var me = (WhoAmIResponse)await client.ExecuteAsync(new WhoAmIRequest());

        Assert.Equal(Guid.Parse("00000000-0000-0000-0000-000000000001"), me.UserId);
        Assert.Equal(3, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal("Bearer", r.Headers.Authorization!.Scheme));
    }

    [Fact]
    public async Task Retries_stop_after_a_bounded_number_of_attempts_with_the_last_fault()
    {
        using var handler = new ScriptedHandler(_ =>
        {
            var response = Json(HttpStatusCode.TooManyRequests, """{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit."}}""");
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero);
            return response;
        });
        using var client = Client(handler);

        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => client.ExecuteAsync(new WhoAmIRequest()));

        Assert.Equal(unchecked((int)0x80072322), fault.ErrorCode);
        Assert.Equal(Http.WebApiTransport.MaxAttempts, handler.Requests.Count);
    }

    [Fact]
    public void The_service_root_is_the_web_api_root_whether_the_server_root_or_the_api_root_is_given()
    {
        using var handler = new ScriptedHandler(_ => Json(HttpStatusCode.OK, "{}"));
        using var fromServer = new ChannelAccountsServiceClient(new Uri("http://localhost:5000"), _ => Task.FromResult("t"), handler);
        using var fromApi = new ChannelAccountsServiceClient(new Uri("http://localhost:5000/api/data/v9.1"), _ => Task.FromResult("t"), handler);

        Assert.Equal("http://localhost:5000/api/data/v9.2/", fromServer.ServiceRoot.ToString());
        Assert.Equal("http://localhost:5000/api/data/v9.1/", fromApi.ServiceRoot.ToString());
    }

    private static ChannelAccountsServiceClient Client(HttpMessageHandler handler) =>
        new(new Uri("http://localhost:5000/"), _ => Task.FromResult("token"), handler);

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };

    private sealed class ScriptedHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(answer(request));
        }
    }
}
