namespace ChannelAccounts.Server.WebApi.Json;

/// <summary>
/// How much control information a JSON body carries, as the client asks with Accept: application/json;odata.metadata=…
/// (OData JSON Format v4.0 §3.1). Minimal is the default: @odata.context, @odata.etag, @odata.count and @odata.nextLink.
/// </summary>
public enum MetadataLevel
{
    /// <summary>odata.metadata=minimal: the context URL, ETags, count and nextLink; everything else is computable from $metadata.</summary>
    Minimal,

    /// <summary>
    /// odata.metadata=full: minimal's, plus what a client without the model could not compute: each record's @odata.type,
    /// @odata.id, @odata.editLink and navigation links, and "x@odata.type" before each value whose JSON form hides its type.
    /// </summary>
    Full,

    /// <summary>odata.metadata=none: no control information but @odata.count and @odata.nextLink.</summary>
    None,
}

public static class MetadataLevels
{
    /// <summary>The Content-Type of a JSON body at this level, in Dataverse's spelling (no odata.streaming, no charset).</summary>
    public static string ContentType(this MetadataLevel level) => level switch
    {
        MetadataLevel.Full => "application/json; odata.metadata=full",
        MetadataLevel.None => "application/json; odata.metadata=none",
        _ => "application/json; odata.metadata=minimal",
    };
}
