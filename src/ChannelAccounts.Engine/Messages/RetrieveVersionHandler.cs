using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

public sealed class RetrieveVersionHandler : MessageHandler<RetrieveVersionRequest, RetrieveVersionResponse>
{
    /// <summary>
    /// The Dataverse service version this server answers as. Clients compare it with the minimum version of each
    /// feature they use (9.0.2 for session tracking, 9.2.23041 for the newest impersonation rules...), so it names
    /// the 9.2 Web API this server implements, at a build past those minimums.
    /// </summary>
    public const string Version = "9.2.25000.0";

    public override TransactionMode Mode => TransactionMode.Read;

    protected override ValueTask<RetrieveVersionResponse> Handle(RetrieveVersionRequest request, MessageContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new RetrieveVersionResponse { Version = Version });
}
