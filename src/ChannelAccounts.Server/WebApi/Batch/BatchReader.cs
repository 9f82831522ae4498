using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Server.WebApi.Errors;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ChannelAccounts.Server.WebApi.Batch;

/// <summary>
/// Reads a multipart/mixed $batch body (OData 4.0 §11.7) into top-level parts: lone requests and change sets. Every
/// structural rule is checked here, before anything runs: CRLF line ends (see BatchLineEnds), at most 1,000 requests, no nested batches
/// or change sets, no GET inside a change set.
/// </summary>
public static class BatchReader
{
    public static async Task<IReadOnlyList<BatchItem>> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var boundary = BoundaryOf(request.ContentType)
            ?? throw new WebApiException(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.InvalidPayload,
                $"The Content-Type '{request.ContentType}' is not supported for $batch; send 'Content-Type: multipart/mixed; boundary=batch_<id>'.");
        var body = BatchClosingDelimiter.Complete(BatchLineEnds.ToCrlf((await RequestBody.ReadBytesAsync(request, maxBytes, cancellationToken)).ToArray(), boundary), boundary);
        try
        {
            return await ReadPartsAsync(new MemoryStream(body, writable: false), boundary, cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw BatchErrors.NotReadable(e.Message);
        }
    }

    private static async Task<IReadOnlyList<BatchItem>> ReadPartsAsync(Stream body, string boundary, CancellationToken cancellationToken)
    {
        var items = new List<BatchItem>();
        var count = 0;
        var reader = new MultipartReader(boundary, body);
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (BoundaryOf(section.ContentType) is { } changeSetBoundary)
            {
                var operations = new List<BatchOperation>();
                var inner = new MultipartReader(changeSetBoundary, section.Body);
                while (await inner.ReadNextSectionAsync(cancellationToken) is { } part)
                {
                    if (BoundaryOf(part.ContentType) is not null)
                    {
                        throw BatchErrors.Nested("a change set inside a change set");
                    }

                    var operation = await ReadOperationAsync(part, cancellationToken);
                    if (HttpMethods.IsGet(operation.Method))
                    {
                        throw BatchErrors.GetInChangeSet(operation.Url);
                    }

                    operations.Add(operation);
                    Count(ref count);
                }

                items.Add(new ChangeSetItem(operations));
            }
            else
            {
                items.Add(new SingleRequestItem(await ReadOperationAsync(section, cancellationToken)));
                Count(ref count);
            }
        }

        return items;
    }

    private static void Count(ref int count)
    {
        if (++count > BatchErrors.MaxRequests)
        {
            throw BatchErrors.TooManyRequests();
        }
    }

    private static async Task<BatchOperation> ReadOperationAsync(MultipartSection section, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(section.ContentType, out var media)
            || !media.MediaType.Equals("application/http", StringComparison.OrdinalIgnoreCase))
        {
            throw BatchErrors.NotReadable($"Each part of a batch must have 'Content-Type: application/http', not '{section.ContentType}'.");
        }

        using var buffer = new MemoryStream();
        await section.Body.CopyToAsync(buffer, cancellationToken);
        var operation = HttpRequestText.Parse(buffer.ToArray(), section.Headers?.GetValueOrDefault("Content-ID").ToString() is { Length: > 0 } id ? id.Trim() : null);
        if (operation.Url.Split('?')[0].TrimEnd('/').EndsWith("$batch", StringComparison.Ordinal))
        {
            throw BatchErrors.Nested("another batch");
        }

        return operation;
    }

    /// <summary>The boundary of a multipart/mixed Content-Type, or null when it is not one.</summary>
    public static string? BoundaryOf(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("multipart/mixed", StringComparison.OrdinalIgnoreCase)
        && HeaderUtilities.RemoveQuotes(media.Boundary).Value is { Length: > 0 } boundary
            ? boundary
            : null;
}
