using ChannelAccounts.Engine.Storage;

namespace ChannelAccounts.Testing;

/// <summary>A fresh database with the schema in place, for one test class; removed when the class is done.</summary>
public interface IStoreFixture
{
    IDataStore Store { get; }

    /// <summary>The database as DataStore.Open takes it: "sqlite:PATH" or "postgres:CONNECTION-STRING".</summary>
    string ConnectionSpec { get; }
}
