using System.Globalization;
using ChannelAccounts.Client.Http;

namespace ChannelAccounts.Client.Batch;

/// <summary>
/// The parts of a $batch for a list of messages, and how each answer maps back to its message: by the Content-ID
/// (1, 2, …) of a request in a change set, which its answer echoes (a failed one too), else by the position of the
/// top-level part (multipart gives a lone request no Content-ID).
/// </summary>
internal sealed class BatchPlan
{
    private readonly List<int> _messageOfContentId = [];
    private readonly List<int> _messageOfPart = [];
    private readonly List<BatchPart> _parts = [];

    private BatchPlan(int messageCount) => MessageCount = messageCount;

    public IReadOnlyList<BatchPart> Parts => _parts;

    public int MessageCount { get; }

    /// <summary>ExecuteTransaction: every request of every message in one change set.</summary>
    public static BatchPlan OneChangeSet(IReadOnlyList<MessageForm> forms)
    {
        var plan = new BatchPlan(forms.Count);
        var operations = new List<BatchOperation>();
        for (var index = 0; index < forms.Count; index++)
        {
            operations.AddRange(plan.Number(index, forms[index]));
        }

        plan._parts.Add(new BatchPart(IsChangeSet: true, operations));
        return plan;
    }

    /// <summary>
    /// ExecuteMultiple: each message on its own, a write in a change set (atomic even when it takes several requests,
    /// and its Content-ID names it in a failure), a read alone (a change set cannot hold a GET).
    /// </summary>
    public static BatchPlan PartPerMessage(IReadOnlyList<MessageForm> forms, Func<MessageForm, bool> isRead)
    {
        var plan = new BatchPlan(forms.Count);
        for (var index = 0; index < forms.Count; index++)
        {
            var operations = plan.Number(index, forms[index]);
            if (operations.Count > 0)
            {
                plan._parts.Add(new BatchPart(IsChangeSet: !isRead(forms[index]), operations));
                plan._messageOfPart.Add(index);
            }
        }

        return plan;
    }

    /// <summary>The index of the message a Content-ID belongs to, or null for one this plan did not give out.</summary>
    public int? MessageIndexOf(string? contentId) =>
        int.TryParse(contentId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id >= 1 && id <= _messageOfContentId.Count
            ? _messageOfContentId[id - 1]
            : null;

    /// <summary>The answers of each message, in the order of its requests.</summary>
    public List<WebApiAnswer>[] Group(IReadOnlyList<BatchAnswer> answers)
    {
        var grouped = Enumerable.Range(0, MessageCount).Select(_ => new List<WebApiAnswer>()).ToArray();
        foreach (var (contentId, part, answer) in answers)
        {
            if ((MessageIndexOf(contentId) ?? (part < _messageOfPart.Count ? _messageOfPart[part] : null)) is { } index)
            {
                grouped[index].Add(answer);
            }
        }

        return grouped;
    }

    private List<BatchOperation> Number(int messageIndex, MessageForm form)
    {
        var operations = new List<BatchOperation>(form.Calls.Count);
        foreach (var call in form.Calls)
        {
            _messageOfContentId.Add(messageIndex);
            operations.Add(new BatchOperation(_messageOfContentId.Count.ToString(CultureInfo.InvariantCulture), call));
        }

        return operations;
    }
}
