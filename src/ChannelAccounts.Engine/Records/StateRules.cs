using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;

namespace ChannelAccounts.Engine.Records;

/// <summary>Which statecode/statuscode pairs a table allows, from its choices (seed: 0 Active/1, 1 Inactive/2).</summary>
public static class StateRules
{
    /// <summary>
    /// The pair a write ends with. A status alone implies its state; a state alone takes its default status;
    /// a pair that does not belong together is Dataverse's 0x80048408.
    /// </summary>
    public static (int State, int Status) Resolve(EntityDefinition entity, int? state, int? status, Guid id)
    {
        var stateAttribute = entity.Attribute("statecode");
        var statusAttribute = entity.Attribute("statuscode");
        if (status is { } s)
        {
            var statusOption = statusAttribute.Options.FirstOrDefault(o => o.Value == s);
            var owningState = statusOption?.State;
            var targetState = state ?? owningState;
            if (statusOption is null || targetState is null || owningState != targetState)
            {
                var stateName = stateAttribute.Options.FirstOrDefault(o => o.Value == targetState)?.InvariantName ?? targetState?.ToString() ?? "?";
                throw DataverseFault.InvalidStatusForState(s, entity.SchemaName, stateName, entity.LogicalName, id);
            }

            return (targetState.Value, s);
        }

        var stateValue = state ?? 0;
        var stateOption = stateAttribute.Options.FirstOrDefault(o => o.Value == stateValue)
            ?? throw DataverseFault.InvalidArgument($"{stateValue} is not a valid statecode for {entity.LogicalName}.");
        return (stateValue, stateOption.DefaultStatus ?? throw new InvalidOperationException($"State {stateValue} has no default status."));
    }
}
