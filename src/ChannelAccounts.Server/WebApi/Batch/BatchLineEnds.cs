using System.Text;

namespace ChannelAccounts.Server.WebApi.Batch;

/// <summary>
/// The line ends of a $batch body. Dataverse asks for CRLF, yet documents that a body whose lines end with LF alone is
/// read once line ends follow its end ("add two non-CRLF line endings at the end of the batch request body"; without
/// them: 0x80048d19 "Stream was not readable"; learn.microsoft.com, "Troubleshoot Dataverse Web API client errors").
/// Clients that write LF alone end their closing delimiter's line so: Xrm-WebApi-Client ("--batch_…--\n") and
/// dataverse-ify ("--batch_…--\n ", run by its integration tests against Dataverse). Such a body is read as if its lone
/// LFs were CRLFs; in a JSON body they can only be whitespace, as a JSON string holds no raw line end. A LF body whose
/// last line has no line end is refused as Dataverse refuses it.
/// </summary>
public static class BatchLineEnds
{
    public static byte[] ToCrlf(byte[] body, string boundary)
    {
        if (!FirstBoundaryLineEndsWithLfAlone(body, boundary))
        {
            return body;
        }

        if (!body.AsSpan().TrimEnd(" \t"u8).EndsWith("\n"u8))
        {
            throw BatchErrors.NotReadable(
                "The lines of a batch must end with CRLF (\\r\\n); a batch whose lines end with LF alone must end with line ends after its closing delimiter.");
        }

        var lone = 0;
        for (var i = 0; i < body.Length; i++)
        {
            lone += IsLoneLf(body, i) ? 1 : 0;
        }

        var crlf = new byte[body.Length + lone];
        var at = 0;
        for (var i = 0; i < body.Length; i++)
        {
            if (IsLoneLf(body, i))
            {
                crlf[at++] = (byte)'\r';
            }

            crlf[at++] = body[i];
        }

        return crlf;
    }

    private static bool IsLoneLf(byte[] body, int i) => body[i] == '\n' && (i == 0 || body[i - 1] != '\r');

    private static bool FirstBoundaryLineEndsWithLfAlone(byte[] body, string boundary)
    {
        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var at = body.AsSpan().IndexOf(delimiter);
        if (at < 0)
        {
            throw BatchErrors.NotReadable($"The body does not contain the boundary '--{boundary}'.");
        }

        var rest = body.AsSpan(at + delimiter.Length);
        var lineEnd = rest.IndexOf((byte)'\n');
        return lineEnd >= 0 && (lineEnd == 0 || rest[lineEnd - 1] != (byte)'\r');
    }
}
