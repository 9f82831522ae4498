using System.Text;
using ChannelAccounts.Client.Http;
using Microsoft.OData;

namespace ChannelAccounts.Client.Batch;

/// <summary>A top-level part of a $batch: one request, or a change set whose requests succeed or fail together.</summary>
internal sealed record BatchPart(bool IsChangeSet, IReadOnlyList<BatchOperation> Operations);

/// <summary>A request of a $batch with its Content-ID, which the answer echoes.</summary>
internal sealed record BatchOperation(string ContentId, WebApiCall Call);

/// <summary>
/// The answer to one request of a $batch: the Content-ID it echoes (only change sets carry one), the index of the
/// top-level part it answers, and the answer itself.
/// </summary>
internal sealed record BatchAnswer(string? ContentId, int Part, WebApiAnswer Answer);

/// <summary>
/// The multipart/mixed body of a $batch and of its answer (OData 4.0 §11.7), written and read with Microsoft.OData.Core's
/// ODataBatchWriter and ODataBatchReader.
/// </summary>
internal static class BatchPayload
{
    /// <summary>At most 1,000 requests in a batch, as in Dataverse; ODL's defaults are lower.</summary>
    private static readonly ODataMessageQuotas Quotas = new()
    {
        MaxPartsPerBatch = 1000,
        MaxOperationsPerChangeset = 1000,
        MaxReceivedMessageSize = long.MaxValue,
    };

    /// <summary>The body and its Content-Type (multipart/mixed; boundary=batch_…).</summary>
    public static async Task<(byte[] Body, string ContentType)> WriteAsync(Uri serviceRoot, IReadOnlyList<BatchPart> parts)
    {
        var message = new Message(new MemoryStream());
        var settings = new ODataMessageWriterSettings { BaseUri = serviceRoot, EnableMessageStreamDisposal = false, MessageQuotas = Quotas };
        using (var writer = new ODataMessageWriter((IODataRequestMessageAsync)message, settings))
        {
            var batch = await writer.CreateODataBatchWriterAsync();
            await batch.WriteStartBatchAsync();
            foreach (var part in parts)
            {
                if (part.IsChangeSet)
                {
                    await batch.WriteStartChangesetAsync();
                }

                foreach (var (contentId, call) in part.Operations)
                {
                    var operation = await batch.CreateOperationRequestMessageAsync(call.Method.Method, new Uri(serviceRoot, call.Url), contentId);
                    foreach (var (name, value) in call.Headers ?? new Dictionary<string, string>())
                    {
                        operation.SetHeader(name, value);
                    }

                    if (call.JsonBody is not null)
                    {
                        operation.SetHeader("Content-Type", "application/json; type=entry");
                        await using var body = await operation.GetStreamAsync();
                        await body.WriteAsync(Encoding.UTF8.GetBytes(call.JsonBody));
                    }
                }

                if (part.IsChangeSet)
                {
                    await batch.WriteEndChangesetAsync();
                }
            }

            await batch.WriteEndBatchAsync();
        }

        return (message.Stream.ToArray(), message.GetHeader("Content-Type")!);
    }

    /// <summary>Every answer of the batch, in order (a change set's answers in its order; a failed change set as its one failure).</summary>
    public static async Task<IReadOnlyList<BatchAnswer>> ReadAsync(Uri serviceRoot, byte[] body, string contentType, int statusCode)
    {
        var message = new Message(new MemoryStream(body, writable: false)) { StatusCode = statusCode };
        message.SetHeader("Content-Type", contentType);
        var settings = new ODataMessageReaderSettings { BaseUri = serviceRoot, EnableMessageStreamDisposal = false, MessageQuotas = Quotas };
        using var reader = new ODataMessageReader((IODataResponseMessageAsync)message, settings);
        var batch = await reader.CreateODataBatchReaderAsync();
        var answers = new List<BatchAnswer>();
        var part = -1;
        var inChangeSet = false;
        while (await batch.ReadAsync())
        {
            if (batch.State is ODataBatchReaderState.ChangesetStart or ODataBatchReaderState.ChangesetEnd)
            {
                inChangeSet = batch.State == ODataBatchReaderState.ChangesetStart;
                part += inChangeSet ? 1 : 0;
                continue;
            }

            if (batch.State != ODataBatchReaderState.Operation)
            {
                continue;
            }

            part += inChangeSet ? 0 : 1;

            var operation = await batch.CreateOperationResponseMessageAsync();
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in operation.Headers)
            {
                headers[name] = value;
            }

            using var buffer = new MemoryStream();
            await using (var stream = await operation.GetStreamAsync())
            {
                await stream.CopyToAsync(buffer);
            }

            answers.Add(new BatchAnswer(operation.ContentId, part, new WebApiAnswer(operation.StatusCode, headers, buffer.ToArray())));
        }

        return answers;
    }

    /// <summary>The outer message ODL writes to and reads from: headers and a stream in memory.</summary>
    private sealed class Message(MemoryStream stream) : IODataRequestMessageAsync, IODataResponseMessageAsync
    {
        private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase);

        public MemoryStream Stream => stream;

        public IEnumerable<KeyValuePair<string, string>> Headers => _headers;

        public Uri Url { get; set; } = new("http://localhost/$batch");

        public string Method { get; set; } = "POST";

        public int StatusCode { get; set; }

        public string? GetHeader(string headerName) => _headers.GetValueOrDefault(headerName);

        public void SetHeader(string headerName, string headerValue) => _headers[headerName] = headerValue;

        public Stream GetStream() => stream;

        public Task<Stream> GetStreamAsync() => Task.FromResult<Stream>(stream);
    }
}
