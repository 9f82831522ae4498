namespace ChannelAccounts.Sdk;

/// <summary>A page of records, with what is needed to ask for the next one.</summary>
public sealed class EntityCollection
{
    public EntityCollection() { }

    public EntityCollection(IList<Entity> entities) => Entities = entities;

    public IList<Entity> Entities { get; set; } = new List<Entity>();

    public string? EntityName { get; set; }

    public bool MoreRecords { get; set; }

    /// <summary>Opaque keyset cursor: give it back in PagingInfo.PagingCookie to get the next page.</summary>
    public string? PagingCookie { get; set; }

    /// <summary>-1 unless the query asked for it (PagingInfo.ReturnTotalRecordCount).</summary>
    public int TotalRecordCount { get; set; } = -1;

    public bool TotalRecordCountLimitExceeded { get; set; }
}
