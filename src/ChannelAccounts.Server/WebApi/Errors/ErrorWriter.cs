using System.Text.Json;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Server.WebApi.Json;

namespace ChannelAccounts.Server.WebApi.Errors;

/// <summary>Writes the Dataverse error body: {"error":{"code":"0x…","message":"…"}}.</summary>
public static class ErrorWriter
{
    /// <summary>Replaces whatever the response holds with the error; <paramref name="headers"/> adds headers of its own.</summary>
    public static async Task WriteAsync(HttpContext http, int statusCode, int errorCode, string message, Action<HttpResponse>? headers = null)
    {
        if (http.Response.HasStarted)
        {
            // A streamed body already went out; all we can do is cut it short so the client sees a broken response.
            http.Abort();
            return;
        }

        http.Response.Clear();
        http.Response.StatusCode = statusCode;
        http.Response.ContentType = "application/json; odata.metadata=minimal";
        http.Response.Headers["OData-Version"] = "4.0";
        headers?.Invoke(http.Response);
        await using var writer = JsonOutput.Writer(http.Response.Body);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("code", new OrganizationServiceFault { ErrorCode = errorCode }.HexCode);
        writer.WriteString("message", message);
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(http.RequestAborted);
    }

    public static Task WriteAsync(HttpContext http, OrganizationServiceFaultException fault) =>
        WriteAsync(http, ErrorStatusMap.StatusFor(fault.ErrorCode), fault.ErrorCode, fault.Message);

    public static Task WriteAsync(HttpContext http, WebApiException error) =>
        WriteAsync(http, error.StatusCode, error.ErrorCode, error.Message);

    /// <summary>A bug: logged with its stack, answered 500 in Dataverse's error shape, never turned into a 4xx.</summary>
    public static Task WriteUnexpectedAsync(HttpContext http, Exception error, ILogger logger)
    {
        logger.LogError(error, "Unhandled error for {Method} {Path}", http.Request.Method, http.Request.Path);
        return WriteAsync(http, StatusCodes.Status500InternalServerError, ErrorCodes.UnexpectedError,
            "An unexpected error occurred. This is a bug in ChannelAccounts; the server log has the details.");
    }
}
