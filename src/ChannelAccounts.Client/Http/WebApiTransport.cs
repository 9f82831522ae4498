using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ChannelAccounts.Sdk.Faults;

namespace ChannelAccounts.Client.Http;

/// <summary>
/// Sends Web API requests: bearer token, OData headers, retries of 429 and 503 after Retry-After (bounded), and
/// Dataverse error bodies turned into OrganizationServiceFaultException.
/// </summary>
internal sealed class WebApiTransport(HttpClient http, Uri serviceRoot, Func<CancellationToken, Task<string>> tokenProvider)
{
    public const int MaxAttempts = 4;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(60);

    public Uri ServiceRoot => serviceRoot;

    /// <summary>Sends and returns the response (the caller disposes it); a non-success status throws the fault.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string relativeOrAbsoluteUri, string? jsonBody,
        IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken, bool streamBody = false, HttpStatusCode? passThrough = null) =>
        SendAsync(method, relativeOrAbsoluteUri, jsonBody is null ? null : () => new StringContent(jsonBody, Encoding.UTF8, "application/json"),
            headers, cancellationToken, streamBody, response => response.StatusCode == passThrough);

    /// <summary>Sends one call and reads its whole answer; a non-success status throws the fault.</summary>
    public async Task<WebApiAnswer> SendAsync(WebApiCall call, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(call.Method, call.Url, call.JsonBody, call.Headers, cancellationToken);
        return await WebApiAnswer.ReadAsync(response, cancellationToken);
    }

    /// <summary>
    /// Sends with a body made afresh for each attempt; a response that accept takes is returned whatever its status
    /// (a $batch answers a failed request with its status and a multipart body).
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string relativeOrAbsoluteUri, Func<HttpContent>? content,
        IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken, bool streamBody, Func<HttpResponseMessage, bool> accept)
    {
        var uri = relativeOrAbsoluteUri.StartsWith("http", StringComparison.OrdinalIgnoreCase)
            ? new Uri(relativeOrAbsoluteUri)
            : new Uri(serviceRoot, relativeOrAbsoluteUri);
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokenProvider(cancellationToken));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.Add("OData-MaxVersion", "4.0");
            request.Headers.Add("OData-Version", "4.0");
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            request.Content = content?.Invoke();

            var response = await http.SendAsync(request,
                streamBody ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified || accept(response))
            {
                return response;
            }

            if (attempt < MaxAttempts && response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            {
                var delay = RetryDelay(response, attempt);
                response.Dispose();
                await Task.Delay(delay, cancellationToken);
                continue;
            }

            using (response)
            {
                throw await FaultAsync(response, cancellationToken);
            }
        }
    }

    /// <summary>Retry-After as seconds or an HTTP date; without one, 1, 2, 4… seconds.</summary>
    internal static TimeSpan RetryDelay(HttpResponseMessage response, int attempt)
    {
        var retryAfter = response.Headers.RetryAfter;
        var delay = retryAfter?.Delta
            ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : TimeSpan.FromSeconds(Math.Pow(2, attempt - 1)));
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxRetryDelay ? MaxRetryDelay : delay;
    }

    /// <summary>{"error":{"code":"0x80040217","message":"…"}} → the fault with the code as the SDK's negative int.</summary>
    internal static async Task<OrganizationServiceFaultException> FaultAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = response.Content is null ? "" : await response.Content.ReadAsStringAsync(cancellationToken);
        return FaultOf(response.StatusCode, response.ReasonPhrase, text);
    }

    /// <summary>The fault of one failed request of a $batch.</summary>
    internal static OrganizationServiceFaultException FaultOf(WebApiAnswer answer) =>
        FaultOf((HttpStatusCode)answer.StatusCode, null, Encoding.UTF8.GetString(answer.Body));

    private static OrganizationServiceFaultException FaultOf(HttpStatusCode status, string? reason, string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.TryGetProperty("error", out var error))
            {
                var code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
                return new OrganizationServiceFaultException(ParseCode(code) ?? CodeForStatus(status), message);
            }
        }
        catch (JsonException)
        {
            // Not a Dataverse error body (a proxy's page, for instance): the status says what it can.
        }

        return new OrganizationServiceFaultException(CodeForStatus(status),
            $"The server answered {(int)status} {reason}{(text.Length > 0 ? ": " + text : "")}");
    }

    /// <summary>"0x80040217" → -2147220969.</summary>
    internal static int? ParseCode(string? code)
    {
        if (code is null)
        {
            return null;
        }

        var hex = code.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? code[2..] : code;
        return uint.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value) ? unchecked((int)value) : null;
    }

    private static int CodeForStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => ErrorCodes.ObjectDoesNotExist,
        HttpStatusCode.Unauthorized => ErrorCodes.Unauthorized,
        HttpStatusCode.Forbidden => ErrorCodes.PrivilegeDenied,
        HttpStatusCode.PreconditionFailed => ErrorCodes.ConcurrencyVersionMismatch,
        HttpStatusCode.RequestEntityTooLarge => ErrorCodes.RequestTooLarge,
        HttpStatusCode.BadRequest => ErrorCodes.InvalidArgument,
        _ => ErrorCodes.UnexpectedError,
    };
}
