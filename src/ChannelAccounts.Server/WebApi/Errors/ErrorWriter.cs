using System.Text.Json;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Server.WebApi.Json;

namespace ChannelAccounts.Server.WebApi.Errors;

/// <summary>Writes the Dataverse error body: {"error":{"code":"0x…","message":"…"}}.</summary>
public static class ErrorWriter
{
    /// <summary>Replaces whatever the response holds with the error; <paramref name="headers"/> adds headers of its own.</summary>
    public static async Task WriteAsync(HttpContext http, int statusCode, int errorCode, string message, Action<HttpResponse>? headers = null,
        string? codeText = null)
    {
        if (http.Response.HasStarted)
        {
            // A streamed body already went out; all we can do is cut it short so the client sees a broken response.
            http.Abort();
            return;
        }

        http.Response.Clear();
        http.Response.StatusCode = statusCode;
        // An error body is the same at every level; its Content-Type names the level asked for, as ODataLib's does.
        http.Response.ContentType = AcceptHeader.LevelOrMinimal(http.Request.Headers.Accept).ContentType();
        http.Response.Headers["OData-Version"] = "4.0";
        headers?.Invoke(http.Response);
        await using var body = new JsonBody(http.Response);
        var writer = body.Writer;
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("code", codeText ?? new OrganizationServiceFault { ErrorCode = errorCode }.HexCode);
        writer.WriteString("message", message);
        WriteDetails(writer, http, statusCode, errorCode, message);
        writer.WriteEndObject();
        writer.WriteEndObject();
        await body.CompleteAsync(http.RequestAborted);
    }

    /// <summary>
    /// The error annotations Dataverse adds inside "error" when Prefer: odata.include-annotations asks for them (for
    /// example "*" or "Microsoft.PowerApps.CDS.ErrorDetails*"): those this server can fill truthfully.
    /// </summary>
    private static void WriteDetails(Utf8JsonWriter writer, HttpContext http, int statusCode, int errorCode, string message)
    {
        var prefer = PreferHeader.Parse(http.Request.Headers["Prefer"]); // lenient: never throws, even for the header an error is about

        if (prefer.Includes(Annotations.ErrorHttpStatusCode))
        {
            writer.WriteString("@" + Annotations.ErrorHttpStatusCode, statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (statusCode is >= 400 and < 500 && prefer.Includes(Annotations.ErrorCategory))
        {
            writer.WriteString("@" + Annotations.ErrorCategory, "ClientError");
        }

        if (errorCode != 0 && prefer.Includes(Annotations.ErrorHelpLink))
        {
            writer.WriteString("@" + Annotations.ErrorHelpLink,
                $"http://go.microsoft.com/fwlink/?LinkID=398563&error=Microsoft.Crm.CrmException%3a{errorCode:x8}&client=platform");
        }

        if (prefer.Includes(Annotations.ErrorInnerMessage))
        {
            writer.WriteString("@" + Annotations.ErrorInnerMessage, message);
        }
    }

    public static Task WriteAsync(HttpContext http, OrganizationServiceFaultException fault) =>
        WriteAsync(http, ErrorStatusMap.StatusFor(fault.ErrorCode), fault.ErrorCode, fault.Message);

    public static Task WriteAsync(HttpContext http, WebApiException error) =>
        WriteAsync(http, error.StatusCode, error.ErrorCode, error.Message,
            error.Allow is { } allow ? response => response.Headers.Allow = allow : null, error.CodeText);

    /// <summary>A bug: logged with its stack, answered 500 in Dataverse's error shape, never turned into a 4xx.</summary>
    public static Task WriteUnexpectedAsync(HttpContext http, Exception error, ILogger logger)
    {
        logger.LogError(error, "Unhandled error for {Method} {Path}", http.Request.Method, http.Request.Path);
        return WriteAsync(http, StatusCodes.Status500InternalServerError, ErrorCodes.UnexpectedError,
            "An unexpected error occurred. This is a bug in ChannelAccounts; the server log has the details.");
    }
}
