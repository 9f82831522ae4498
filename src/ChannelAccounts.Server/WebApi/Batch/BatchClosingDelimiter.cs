using System.Text;

namespace ChannelAccounts.Server.WebApi.Batch;

/// <summary>
/// A batch of change sets whose last change set is closed ("--changeset_…--") but whose batch is not ("--batch_…--"
/// missing). Xrm-WebApi-Client writes its change-set batches so, and they run against Dataverse (its users report the
/// records written); the batch's own closing delimiter is added before the body is read. A body cut off anywhere
/// else still fails as unreadable.
/// </summary>
public static class BatchClosingDelimiter
{
    public static byte[] Complete(byte[] body, string boundary)
    {
        var closing = Encoding.ASCII.GetBytes("--" + boundary + "--");
        var text = body.AsSpan();
        if (text.IndexOf(closing) >= 0)
        {
            return body;
        }

        var trimmed = text.TrimEnd(" \t\r\n"u8);
        var lastLineStart = trimmed.LastIndexOf("\r\n"u8) + 2;
        var lastLine = trimmed[Math.Max(lastLineStart, 0)..];
        if (lastLineStart < 2 || !lastLine.StartsWith("--"u8) || !lastLine.EndsWith("--"u8) || lastLine.Length <= 4)
        {
            return body;
        }

        var ends = Encoding.ASCII.GetBytes("\r\n--" + boundary + "--\r\n");
        var completed = new byte[trimmed.Length + ends.Length];
        trimmed.CopyTo(completed);
        ends.CopyTo(completed.AsSpan(trimmed.Length));
        return completed;
    }
}
