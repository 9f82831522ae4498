using System.Collections.Concurrent;

namespace ChannelAccounts.Engine.Security;

/// <summary>The stored facts about a caller that every message needs.</summary>
public readonly record struct CallerFacts(Guid BusinessUnitId, bool IsDisabled);

/// <summary>
/// Security profiles and caller facts of one database, valid for one value of its security stamp (see
/// IStoreTransaction.SecurityStampAsync). A message that reads a different stamp starts a new generation, so an
/// entry never outlives the data it was loaded from: roles, memberships and users changed by a committed write
/// apply to the very next message. Bounded: a generation holding too many entries is dropped.
/// </summary>
public sealed class SecurityProfileCache
{
    private const int MaxEntriesPerGeneration = 10_000;

    private Generation _current = new(0);

    public bool TryGetProfile(long stamp, ProfileKey key, out SecurityProfile profile)
    {
        profile = null!;
        return Current(stamp) is { } generation && generation.Profiles.TryGetValue(key, out profile!);
    }

    public void AddProfile(long stamp, ProfileKey key, SecurityProfile profile)
    {
        Writable(stamp).Profiles[key] = profile;
    }

    public bool TryGetCaller(long stamp, Guid userId, out CallerFacts facts)
    {
        facts = default;
        return Current(stamp) is { } generation && generation.Callers.TryGetValue(userId, out facts);
    }

    public void AddCaller(long stamp, Guid userId, CallerFacts facts)
    {
        Writable(stamp).Callers[userId] = facts;
    }

    /// <summary>The stamp of the newest generation: the one the next message most likely reads.</summary>
    public long LatestStamp => Volatile.Read(ref _current).Stamp;

    /// <summary>Starts an empty generation for a stamp found newer than the cached one.</summary>
    public void Restart(long stamp)
    {
        if (Volatile.Read(ref _current).Stamp != stamp)
        {
            Volatile.Write(ref _current, new Generation(stamp));
        }
    }

    private Generation? Current(long stamp)
    {
        var generation = Volatile.Read(ref _current);
        return generation.Stamp == stamp ? generation : null;
    }

    /// <summary>The generation of this stamp, started afresh when the stamp is new or the generation is full.</summary>
    private Generation Writable(long stamp)
    {
        var generation = Volatile.Read(ref _current);
        if (generation.Stamp != stamp || generation.Profiles.Count + generation.Callers.Count >= MaxEntriesPerGeneration)
        {
            // A message that read an older stamp may replace a newer generation; the next message refills it.
            generation = new Generation(stamp);
            Volatile.Write(ref _current, generation);
        }
        return generation;
    }

    /// <summary>Who the profile is for: a user or team, measured from its business unit.</summary>
    public readonly record struct ProfileKey(Guid PrincipalId, bool IsTeam, Guid BusinessUnitId);

    private sealed class Generation(long stamp)
    {
        public long Stamp => stamp;

        public ConcurrentDictionary<ProfileKey, SecurityProfile> Profiles { get; } = new();

        public ConcurrentDictionary<Guid, CallerFacts> Callers { get; } = new();
    }
}
