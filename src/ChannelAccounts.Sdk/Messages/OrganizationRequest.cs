namespace ChannelAccounts.Sdk.Messages;

/// <summary>A message to the organization service: its name and named parameters, as in Microsoft.Xrm.Sdk.</summary>
public class OrganizationRequest
{
    public OrganizationRequest() { }

    public OrganizationRequest(string requestName) => RequestName = requestName;

    public string RequestName { get; set; } = "";

    public ParameterCollection Parameters { get; } = new();

    public Guid? RequestId { get; set; }

    public object? this[string parameterName]
    {
        get => Parameters.TryGetValue(parameterName, out var value) ? value : null;
        set => Parameters[parameterName] = value;
    }

    protected T? Get<T>(string name) => Parameters.TryGetValue(name, out var value) && value is T typed ? typed : default;
}

public class OrganizationResponse
{
    public string ResponseName { get; set; } = "";

    public ParameterCollection Results { get; } = new();

    public object? this[string name]
    {
        get => Results.TryGetValue(name, out var value) ? value : null;
        set => Results[name] = value;
    }

    protected T? Get<T>(string name) => Results.TryGetValue(name, out var value) && value is T typed ? typed : default;
}

public sealed class ParameterCollection : Dictionary<string, object?>
{
    public ParameterCollection() : base(StringComparer.Ordinal) { }
}

public enum ConcurrencyBehavior
{
    Default = 0,
    IfRowVersionMatches = 1,
    AlwaysOverwrite = 2,
}
