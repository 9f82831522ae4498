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
    public static (int State, int Status) Resolve(EntityDefinition entity, int? state, int? status, Guid id) =>
        Resolve(entity, state, status, id, hint: null);

    /// <summary>
    /// The pair a new record starts with: always the first state (statecode is not valid for create), with the
    /// statuscode given if it belongs to that state.
    /// </summary>
    public static (int State, int Status) ResolveOnCreate(EntityDefinition entity, int? status, Guid id) =>
        Resolve(entity, 0, status, id,
            hint: "statecode is not valid for create, so a record starts in that state: create it with one of its statuscode values (or none), " +
                  "then change statecode and statuscode with an update (SetState).");

    private static (int State, int Status) Resolve(EntityDefinition entity, int? state, int? status, Guid id, string? hint)
    {
        var stateAttribute = entity.Attribute("statecode");
        if (status is { } s)
        {
            var owningState = OwningState(entity, s);
            var targetState = state ?? owningState;
            if (targetState is null || owningState != targetState)
            {
                var stateName = stateAttribute.Options.FirstOrDefault(o => o.Value == targetState)?.InvariantName ?? targetState?.ToString() ?? "?";
                throw DataverseFault.InvalidStatusForState(s, entity.SchemaName, stateName, entity.LogicalName, id, hint);
            }

            return (targetState.Value, s);
        }

        var stateValue = state ?? 0;
        var stateOption = stateAttribute.Options.FirstOrDefault(o => o.Value == stateValue)
            ?? throw DataverseFault.InvalidArgument($"{stateValue} is not a valid statecode for {entity.LogicalName}.");
        return (stateValue, stateOption.DefaultStatus ?? throw new InvalidOperationException($"State {stateValue} has no default status."));
    }

    /// <summary>
    /// Whether Resolve accepts the pair (SetState's rule): the state exists and the status is one of its own, or -1
    /// for its default status.
    /// </summary>
    public static bool IsValidPair(EntityDefinition entity, int state, int status) =>
        entity.Attribute("statecode").Options.Any(o => o.Value == state) && (status == -1 || OwningState(entity, status) == state);

    /// <summary>A state by its invariant name (Active, Inactive; any case) or its number as text; another is a 400 listing the states.</summary>
    public static int StateNamed(EntityDefinition entity, string? name)
    {
        var options = entity.Attribute("statecode").Options;
        var text = name?.Trim() ?? "";
        var byName = options.FirstOrDefault(o => string.Equals(o.InvariantName, text, StringComparison.OrdinalIgnoreCase));
        if (byName is not null)
        {
            return byName.Value;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number)
            && options.Any(o => o.Value == number))
        {
            return number;
        }

        throw DataverseFault.InvalidArgument(
            $"'{name}' is not a state of {entity.LogicalName}; use one of {string.Join(", ", options.Select(o => $"{o.InvariantName} ({o.Value})"))}.");
    }

    /// <summary>The state a status belongs to, or null when the table has no such status.</summary>
    private static int? OwningState(EntityDefinition entity, int status) =>
        entity.Attribute("statuscode").Options.FirstOrDefault(o => o.Value == status)?.State;
}
