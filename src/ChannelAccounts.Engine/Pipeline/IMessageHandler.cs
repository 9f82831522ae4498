using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Pipeline;

/// <summary>Runs one message. The pipeline has already resolved the caller and opened the transaction.</summary>
public interface IMessageHandler
{
    Type RequestType { get; }

    /// <summary>Read for messages that change nothing, so they can run beside writers.</summary>
    TransactionMode Mode { get; }

    ValueTask<OrganizationResponse> HandleAsync(OrganizationRequest request, MessageContext context, CancellationToken cancellationToken);
}

/// <summary>The typed base every handler derives from.</summary>
public abstract class MessageHandler<TRequest, TResponse> : IMessageHandler
    where TRequest : OrganizationRequest
    where TResponse : OrganizationResponse
{
    public Type RequestType => typeof(TRequest);

    public virtual TransactionMode Mode => TransactionMode.Write;

    public async ValueTask<OrganizationResponse> HandleAsync(OrganizationRequest request, MessageContext context,
        CancellationToken cancellationToken) =>
        await Handle((TRequest)request, context, cancellationToken);

    protected abstract ValueTask<TResponse> Handle(TRequest request, MessageContext context, CancellationToken cancellationToken);
}
