using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace ChannelAccounts.Server.WebApi.Batch;

/// <summary>
/// Writes the multipart/mixed answer of a batch: one application/http part per lone request, a nested
/// multipart/mixed (changesetresponse_…) per change set with each Content-ID echoed, a failed change set as its one
/// failing request. CRLF line ends throughout.
/// </summary>
public static class BatchResponseWriter
{
    public static async Task WriteAsync(HttpResponse response, int statusCode, IReadOnlyList<BatchItemResult> items, CancellationToken cancellationToken)
    {
        var boundary = $"batchresponse_{Guid.NewGuid()}";
        using var body = new MemoryStream();
        foreach (var item in items)
        {
            Line(body, "--" + boundary);
            if (item.IsChangeSet && !item.Failed)
            {
                var changeSet = $"changesetresponse_{Guid.NewGuid()}";
                Line(body, $"Content-Type: multipart/mixed; boundary={changeSet}");
                Line(body, "");
                foreach (var result in item.Results)
                {
                    Line(body, "--" + changeSet);
                    Part(body, result);
                }

                Line(body, $"--{changeSet}--");
            }
            else
            {
                Part(body, item.Results.Single());
            }
        }

        Line(body, $"--{boundary}--");
        response.StatusCode = statusCode;
        response.ContentType = $"multipart/mixed; boundary={boundary}";
        response.Headers["OData-Version"] = "4.0";
        response.ContentLength = body.Length;
        body.Position = 0;
        await body.CopyToAsync(response.Body, cancellationToken);
    }

    private static void Part(Stream body, BatchOperationResult result)
    {
        Line(body, "Content-Type: application/http");
        Line(body, "Content-Transfer-Encoding: binary");
        if (result.ContentId is not null)
        {
            Line(body, $"Content-ID: {result.ContentId}");
        }

        Line(body, "");
        Line(body, $"HTTP/1.1 {result.StatusCode} {ReasonPhrases.GetReasonPhrase(result.StatusCode)}");
        foreach (var (name, value) in result.Headers)
        {
            Line(body, $"{name}: {value}");
        }

        if (result.Headers.FirstOrDefault(h => h.Key.Equals("OData-EntityId", StringComparison.OrdinalIgnoreCase)).Value is { } entityId
            && !result.Headers.Any(h => h.Key.Equals("Location", StringComparison.OrdinalIgnoreCase)))
        {
            Line(body, $"Location: {entityId}");
        }

        if (result.Failed)
        {
            Line(body, $"REQ_ID: {Guid.NewGuid()}");
        }

        Line(body, "");
        body.Write(result.Body);
        Line(body, ""); // the CRLF before the next delimiter belongs to it: an empty body still ends with a blank line
    }

    private static void Line(Stream body, string text)
    {
        body.Write(Encoding.UTF8.GetBytes(text));
        body.Write("\r\n"u8);
    }
}
