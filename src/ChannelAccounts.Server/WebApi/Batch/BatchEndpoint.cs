using ChannelAccounts.Server.WebApi.Errors;

namespace ChannelAccounts.Server.WebApi.Batch;

/// <summary>
/// POST /api/data/v9.x/$batch: reads the multipart body, checks its Content-ID references, runs every request
/// through the dispatcher (change sets atomically), and answers 200 with every part — or, without
/// Prefer: odata.continue-on-error, stops at the first failure and answers with its status and that part only.
/// </summary>
public static class BatchEndpoint
{
    public const string ContinueOnError = "odata.continue-on-error";

    public static async Task PostAsync(WebApiContext api, BatchExecutor executor, long maxBodyBytes)
    {
        var http = api.Http;
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            throw WebApiException.MethodNotAllowed(http.Request.Method, "$batch", "POST");
        }

        var items = await BatchReader.ReadAsync(http.Request, maxBodyBytes, api.Aborted);
        ContentIdResolver.Validate(items);
        var continueOnError = http.Request.Headers["Prefer"].Any(p => p is not null
            && p.Split(',').Any(v => v.Trim().Equals(ContinueOnError, StringComparison.OrdinalIgnoreCase)));
        var version = (string)http.GetRouteValue("version")!;
        var results = await executor.RunAsync(http, version, items, continueOnError);

        var status = StatusCodes.Status200OK;
        if (!continueOnError && results.Count > 0 && results[^1].Failed)
        {
            var failed = results[^1];
            status = failed.Results[^1].StatusCode;
            results = [failed];
        }

        if (continueOnError)
        {
            http.Response.Headers["Preference-Applied"] = ContinueOnError;
        }

        await BatchResponseWriter.WriteAsync(http.Response, status, results, api.Aborted);
    }
}
