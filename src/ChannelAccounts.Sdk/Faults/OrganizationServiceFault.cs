namespace ChannelAccounts.Sdk.Faults;

/// <summary>What went wrong, as Dataverse reports it: an error code (the SDK's negative int) and a message.</summary>
public sealed class OrganizationServiceFault
{
    public int ErrorCode { get; init; }

    public string Message { get; init; } = "";

    /// <summary>For ExecuteTransaction: the zero-based index of the request that failed (ExecuteTransactionFault.FaultedRequestIndex).</summary>
    public int? FaultedRequestIndex { get; init; }

    /// <summary>The code as the Web API writes it: "0x80040217".</summary>
    public string HexCode => ErrorCode == 0 ? "0x0" : "0x" + ((uint)ErrorCode).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The exception every message throws for a caller's mistake or a denied access.</summary>
public sealed class OrganizationServiceFaultException : Exception
{
    public OrganizationServiceFaultException(int errorCode, string message) : base(message) =>
        Detail = new OrganizationServiceFault { ErrorCode = errorCode, Message = message };

    public OrganizationServiceFaultException(OrganizationServiceFault detail) : base(detail.Message) => Detail = detail;

    public OrganizationServiceFault Detail { get; }

    public int ErrorCode => Detail.ErrorCode;
}
