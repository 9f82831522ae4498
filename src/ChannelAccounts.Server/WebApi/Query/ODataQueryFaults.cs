using ChannelAccounts.Sdk.Faults;
using Microsoft.OData;
using Microsoft.OData.UriParser;

namespace ChannelAccounts.Server.WebApi.Query;

/// <summary>
/// The faults a bad query raises. Dataverse reports OData query errors with code 0x0 and the parser's message;
/// we do the same, and word our own refusals after Dataverse's where its text is known.
/// </summary>
internal static class ODataQueryFaults
{
    public static OrganizationServiceFaultException BadQuery(string message) => new(ErrorCodes.None, message);

    /// <summary>
    /// Whether Microsoft.OData.Core failed on the text it parsed. It reports most mistakes as ODataException, but a
    /// few reach its binders and surface as their argument checks (cast/isof without a type name, 'in' over a
    /// collection navigation property) or a null reference; those are thrown inside its own code, so the text is to
    /// blame, not the server.
    /// </summary>
    public static bool IsParserFailure(Exception e) => e is ODataException
        || e is ArgumentException or NullReferenceException or InvalidCastException or InvalidOperationException
            && e.TargetSite?.DeclaringType?.Assembly is { } thrower
            && (thrower == typeof(ODataException).Assembly || thrower == typeof(Microsoft.OData.Edm.IEdmModel).Assembly);

    /// <summary>What to tell the caller about a parser failure IsParserFailure accepted.</summary>
    public static string ParserFailureMessage(Exception e) => e switch
    {
        // Microsoft.OData.Core's text for 'has' (or arithmetic) between operands it has no signature for.
        ODataException when e.Message.Contains("TypePromotionUtils_GetFunctionSignatures_Binary_UnreachableCodepath", StringComparison.Ordinal) =>
            "The operator cannot be applied to these operands: 'has' tests flags of an enumeration, which no column of this table is; compare with eq or ne.",
        ODataException => e.Message,
        ArgumentNullException { ParamName: "typeName" } =>
            "cast and isof take the name of a type as their last argument, such as isof(Microsoft.Dynamics.CRM.systemuser) or cast(statecode,Edm.String).",
        ArgumentException argument => argument.Message.Replace($" (Parameter '{argument.ParamName}')", "", StringComparison.Ordinal),
        _ => "The expression could not be bound to the properties of the table: check its paths and the operands of 'in', 'any' and 'all'.",
    };

    public static OrganizationServiceFaultException SkipNotSupported() =>
        BadQuery("The query parameter $skip is not supported");

    public static OrganizationServiceFaultException NotWithQueryFunction() =>
        BadQuery("Not operator along with the Custom Named Condition operators is not allowed");

    /// <summary>Dataverse's text for a query node it cannot turn into a condition (from its $apply docs).</summary>
    public static OrganizationServiceFaultException NodeNotSupported(QueryNode node) =>
        BadQuery($"The query node {node.Kind} is not supported");

    public static OrganizationServiceFaultException FunctionNotSupported(string name) =>
        BadQuery($"The function '{name}' is not supported in $filter.");

    public static OrganizationServiceFaultException NavigationPathNotSupported(string path, string why) =>
        BadQuery($"Filtering on the related column '{path}' is not supported: {why}.");

    public static OrganizationServiceFaultException InvalidTop(string top) =>
        BadQuery($"Invalid value '{top}' for $top query option found. The $top query option requires a positive integer value.");

    public static OrganizationServiceFaultException ExpandOptionNotSupported(string navigationProperty) =>
        InvalidExpand($"Only $select and $expand are supported inside $expand of the single-valued navigation property '{navigationProperty}'.");

    /// <summary>Dataverse's code for an $expand its rules refuse (0x80060888), as its own messages give it.</summary>
    public static OrganizationServiceFaultException InvalidExpand(string message) => new(ErrorCodes.InvalidExpand, message);

    public static OrganizationServiceFaultException ExpandNotSupported(string expand) =>
        BadQuery($"The $expand of '{expand}' is not supported.");

    public static OrganizationServiceFaultException InvalidValue(object? value, string column, string type) =>
        BadQuery($"The value '{value}' is not valid for the column '{column}' of type {type}.");

    public static OrganizationServiceFaultException WrongValueCount(string function, int expected) =>
        BadQuery($"The function '{function}' requires exactly {expected} values in PropertyValues.");
}
