using System.Text.Json;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Client.Http;

/// <summary>One Web API request as data, so it can be sent alone or as a part of a $batch.</summary>
internal sealed record WebApiCall(HttpMethod Method, string Url, string? JsonBody = null, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>The answer to one Web API request, read to the end: status, headers (response and content) and body.</summary>
internal sealed record WebApiAnswer(int StatusCode, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public bool Failed => StatusCode >= 400;

    public string? Header(string name) => Headers.GetValueOrDefault(name);

    public JsonDocument Json() => JsonDocument.Parse(Body);

    public static async Task<WebApiAnswer> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name] = string.Join(", ", values);
        }

        return new WebApiAnswer((int)response.StatusCode, headers, await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }
}

/// <summary>
/// A message in its Web API form: the requests it takes (one for most messages; Associate and Disassociate take one
/// per related record) and how their answers become the SDK response. AnswerNeeded is false when the response is
/// known without the answers (an update, or a create whose id is known), as it must be when a stopped $batch drops them.
/// </summary>
internal sealed record MessageForm(IReadOnlyList<WebApiCall> Calls, Func<IReadOnlyList<WebApiAnswer>, OrganizationResponse> Read, bool AnswerNeeded)
{
    public static MessageForm One(WebApiCall call, Func<WebApiAnswer, OrganizationResponse> read) => new([call], answers => read(answers[0]), AnswerNeeded: true);

    public static MessageForm Of(IReadOnlyList<WebApiCall> calls, Func<OrganizationResponse> response) => new(calls, _ => response(), AnswerNeeded: false);
}
