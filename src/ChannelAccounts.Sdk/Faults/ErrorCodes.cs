namespace ChannelAccounts.Sdk.Faults;

/// <summary>Dataverse error codes, named as in its error catalogue (values are the SDK's negative ints).</summary>
public static class ErrorCodes
{
    public const int None = 0;
    public const int ObjectDoesNotExist = unchecked((int)0x80040217);
    public const int InvalidArgument = unchecked((int)0x80040203);
    public const int RequiredFieldMissing = unchecked((int)0x80040200);
    public const int DuplicateRecord = unchecked((int)0x80040237);
    public const int ConcurrencyVersionMismatch = unchecked((int)0x80060882);
    public const int StringLengthTooLong = unchecked((int)0x80044331);
    public const int ValueOutOfRange = unchecked((int)0x8004431A);
    public const int InvalidStateCodeStatusCode = unchecked((int)0x80048408);
    public const int PrivilegeDenied = unchecked((int)0x80040220);
    public const int AccessDenied = unchecked((int)0x80048306);
    public const int AttributePrivilegeCreateIsMissing = unchecked((int)0x8004F502);
    public const int AttributePermissionUpdateIsMissingDuringUpdate = unchecked((int)0x8004F507);
    public const int InvalidPayload = unchecked((int)0x80048d19);
    public const int ResourceNotFound = unchecked((int)0x8006088a);

    /// <summary>An $expand Dataverse's rules refuse: $ref on a collection, $top or $orderby beside a nested $expand.</summary>
    public const int InvalidExpand = unchecked((int)0x80060888);
    public const int NotSupported = unchecked((int)0x80040227);
    public const int Unauthorized = unchecked((int)0x8004A101);
    public const int RequestTooLarge = unchecked((int)0x8004418A);
    public const int QueryBuilderNoAttribute = unchecked((int)0x80041103);
    public const int TooManyLinkEntities = unchecked((int)0x8004430D);
    public const int UnsupportedRequest = unchecked((int)0x80040227);
    public const int InvalidOperation = unchecked((int)0x80040203);
    public const int UnexpectedError = unchecked((int)0x80040216);

    /// <summary>Dataverse's "Generic SQL error", which it gives a request chosen to end a deadlock (SQL error 1205).</summary>
    public const int SqlError = unchecked((int)0x80044150);
}
