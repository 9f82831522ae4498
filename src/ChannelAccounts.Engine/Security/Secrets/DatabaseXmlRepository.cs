using System.Xml.Linq;
using ChannelAccounts.Engine.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace ChannelAccounts.Engine.Security.Secrets;

/// <summary>
/// The DataProtection key ring in the database (ca_dataprotectionkeys), so every server of a database reads the
/// same keys. DataProtection calls this synchronously and rarely (start, ring refresh, key creation at start):
/// the store's async calls run to completion on the thread pool.
/// </summary>
internal sealed class DatabaseXmlRepository(IDataStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => Run(async () =>
    {
        await using var transaction = await store.BeginAsync(TransactionMode.Read);
        var elements = await transaction.GetKeyRingAsync();
        return (IReadOnlyCollection<XElement>)elements.Select(e => XElement.Parse(e.Xml)).ToList();
    });

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        var xml = element.ToString(SaveOptions.DisableFormatting);
        Run(async () =>
        {
            await using var transaction = await store.BeginAsync(TransactionMode.Write);
            await transaction.AddKeyRingElementAsync(new KeyRingElement(friendlyName, xml));
            await transaction.CommitAsync();
            return true;
        });
    }

    private static T Run<T>(Func<Task<T>> work) => Task.Run(work).GetAwaiter().GetResult();
}
