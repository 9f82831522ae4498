using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Bench.Loading;

/// <summary>Loads owners and N account rows with raw SQL, then rebuilds indexes, advances the version counter and analyzes.</summary>
public interface IBulkLoader
{
    Task LoadAsync(BenchOwners owners, AccountRows rows, int count, IReadOnlyList<AttributeDefinition> columns, DateTime now);
}
