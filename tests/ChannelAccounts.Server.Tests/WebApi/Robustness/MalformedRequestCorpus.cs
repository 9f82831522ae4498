using System.Text;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;
using BadRequest = ChannelAccounts.Server.Tests.WebApi.Robustness.MalformedRequestTests.BadRequest;

namespace ChannelAccounts.Server.Tests.WebApi.Robustness;

/// <summary>
/// The malformed requests, generated from small tables of bad bodies, values, keys, query options, headers, verbs
/// and paths. "{id}" is an existing record, "{new}" a GUID no record has.
/// </summary>
internal static class MalformedRequestCorpus
{
    private const string Set = Accounts;
    private const string Record = Set + "({id})";
    private const string NewRecord = Set + "({new})";
    private const int BadRequest400 = 400;
    private const int Unauthorized = 401;
    private const int NotFound = 404;
    private const int MethodNotAllowed = 405;
    private const int PreconditionFailed = 412;
    private const int TooLarge = 413;
    private const int UnsupportedMediaType = 415;

    /// <summary>Bodies no JSON reader accepts, or that are JSON but not one record.</summary>
    private static readonly (string Name, string Body)[] BrokenJson =
    [
        ("truncated object", """{"msdyn_name":"""),
        ("truncated string", """{"msdyn_name":"abc"""),
        ("unclosed object", """{"msdyn_name":"x" """),
        ("trailing garbage", """{"msdyn_name":"x"} garbage"""),
        ("two objects", """{"msdyn_name":"x"}{"msdyn_name":"y"}"""),
        ("trailing comma", """{"msdyn_name":"x",}"""),
        ("single quotes", """{'msdyn_name':'x'}"""),
        ("unquoted name", """{msdyn_name:"x"}"""),
        ("comment", """{/* c */"msdyn_name":"x"}"""),
        ("nested 10000 arrays", new string('[', 10_000) + new string(']', 10_000)),
        ("nested 10000 objects", string.Concat(Enumerable.Repeat("""{"a":""", 10_000)) + "1" + new string('}', 10_000)),
        ("nested 100 objects in a property", """{"msdyn_name":""" + string.Concat(Enumerable.Repeat("""{"a":""", 100)) + "1" + new string('}', 101)),
        ("number 1e400", """{"msdyn_name":"x","importsequencenumber":1e400}"""),
        ("number -1e400", """{"msdyn_name":"x","importsequencenumber":-1e400}"""),
        ("NaN", """{"msdyn_name":"x","importsequencenumber":NaN}"""),
        ("Infinity", """{"msdyn_name":"x","importsequencenumber":Infinity}"""),
        ("hex number", """{"msdyn_name":"x","importsequencenumber":0x10}"""),
        ("leading zero", """{"msdyn_name":"x","importsequencenumber":007}"""),
        ("duplicate property", """{"msdyn_name":"x","msdyn_name":"y"}"""),
        ("duplicate annotation", """{"ownerid@odata.bind":"/systemusers(00000000-0000-0000-0000-000000000001)","ownerid@odata.bind":"/teams(00000000-0000-0000-0000-000000000001)"}"""),
        ("lone surrogate escape", """{"msdyn_name":"\ud800"}"""),
        ("lone surrogate in a name", """{"msdyn_\udc00name":"x"}"""),
        ("NUL escape", """{"msdyn_name":"a\u0000b"}"""),
        ("bad escape", """{"msdyn_name":"\q"}"""),
        ("raw control character", "{\"msdyn_name\":\"a\u0001b\"}"),
        ("array", "[]"),
        ("array of objects", """[{"msdyn_name":"x"}]"""),
        ("string", "\"msdyn_name\""),
        ("number", "42"),
        ("null", "null"),
        ("true", "true"),
        ("whitespace only", "   \r\n  "),
        ("XML", "<msdyn_name>x</msdyn_name>"),
        ("form encoded", "msdyn_name=x"),
    ];

    /// <summary>Values of the wrong JSON type, out of range or too long, per column type.</summary>
    private static readonly (string Name, string Properties)[] BadValues =
    [
        ("string column as number", "\"msdyn_name\":5"),
        ("datetime with a space for T", "\"overriddencreatedon\":\"2001-01-01 10:00:00Z\""),
        ("datetime in a local format", "\"overriddencreatedon\":\"01/02/2001 10:00 +00:00\""),
        ("an annotation without a term", "\"msdyn_name@\":\"x\""),
        ("a bare @", "\"@\":1"),
        ("an annotation with two @", "\"msdyn_name@@odata.type\":\"Edm.String\""),
        ("an unqualified annotation term", "\"msdyn_name@type\":\"Edm.String\""),
        ("string column typed Edm.Int32", "\"msdyn_name@odata.type\":\"Edm.Int32\",\"msdyn_name\":\"x\""),
        ("string column typed with an unknown type", "\"msdyn_name@odata.type\":\"Foo.Bar\",\"msdyn_name\":\"x\""),
        ("string column typed with a number", "\"msdyn_name@odata.type\":5,\"msdyn_name\":\"x\""),
        ("integer column typed Edm.Int64", "\"timezoneruleversionnumber@odata.type\":\"#Int64\",\"timezoneruleversionnumber\":3"),
        ("string column as boolean", "\"msdyn_name\":true"),
        ("string column as array", "\"msdyn_name\":[\"x\"]"),
        ("string column as object", "\"msdyn_name\":{\"a\":1}"),
        ("msdyn_name 101 chars", $"\"msdyn_name\":\"{new string('n', 101)}\""),
        ("msdyn_name 101 non-ASCII chars", $"\"msdyn_name\":\"{new string('é', 101)}\""),
        ("msdyn_authenticationtoken 256 chars", $"\"msdyn_authenticationtoken\":\"{new string('a', 256)}\""),
        ("msdyn_provideraccountid 256 chars", $"\"msdyn_provideraccountid\":\"{new string('p', 256)}\""),
        ("msdyn_secureauthenticationtoken 256 chars", $"\"msdyn_secureauthenticationtoken\":\"{new string('s', 256)}\""),
        ("msdyn_twilioinboundurl 501 chars", $"\"msdyn_twilioinboundurl\":\"{new string('u', 501)}\""),
        ("integer as string", "\"timezoneruleversionnumber\":\"7\""),
        ("integer as fraction", "\"timezoneruleversionnumber\":1.5"),
        ("integer as boolean", "\"timezoneruleversionnumber\":true"),
        ("integer above Int32", "\"timezoneruleversionnumber\":2147483648"),
        ("integer below Int32", "\"utcconversiontimezonecode\":-2147483649"),
        ("integer below its minimum", "\"utcconversiontimezonecode\":-2"),
        ("integer as array", "\"utcconversiontimezonecode\":[1]"),
        ("statuscode as string", "\"statuscode\":\"Active\""),
        ("statuscode as boolean", "\"statuscode\":true"),
        ("statuscode unknown", "\"statuscode\":99"),
        ("statuscode as object", "\"statuscode\":{\"Value\":1}"),
        ("statuscode above Int32", "\"statuscode\":99999999999"),
        ("date as number", "\"overriddencreatedon\":20200101"),
        ("date as words", "\"overriddencreatedon\":\"yesterday\""),
        ("date month 13", "\"overriddencreatedon\":\"2020-13-01T00:00:00Z\""),
        ("date without offset", "\"overriddencreatedon\":\"2020-01-01T00:00:00\""),
        ("date empty", "\"overriddencreatedon\":\"\""),
        ("id not a guid", "\"msdyn_ocwhatsappchannelaccountid\":\"not-a-guid\""),
        ("id as number", "\"msdyn_ocwhatsappchannelaccountid\":5"),
        ("id with braces and junk", "\"msdyn_ocwhatsappchannelaccountid\":\"{00000000-0000-0000-0000-00000000000g}\""),
        ("unknown column", "\"msdyn_colour\":\"blue\""),
        ("unknown column differing in case", "\"MSDYN_NAME\":\"x\""),
        ("empty property name", "\"\":1"),
        ("annotation of an unknown property", "\"msdyn_colour@odata.type\":\"Edm.String\""),
        ("odata.type of another entity", "\"@odata.type\":\"Microsoft.Dynamics.CRM.account\""),
        ("odata.type not a string", "\"@odata.type\":5"),
        ("owneridtype is not writable in the Web API", "\"owneridtype\":\"team\""),
        ("lookup written as a value", "\"ownerid\":\"00000000-0000-0000-0000-000000000001\""),
        ("lookup deep insert", "\"ownerid\":{\"fullname\":\"x\"}"),
        ("a lookup's computed _x_value", "\"_ownerid_value\":\"00000000-0000-0000-0000-000000000001\""),
        ("a platform lookup's computed _x_value, not a GUID", "\"_createdby_value\":\"zz\""),
        ("bind to the wrong entity set", "\"ownerid@odata.bind\":\"/businessunits(00000000-0000-0000-0000-000000000001)\""),
        ("bind to an unknown entity set", "\"ownerid@odata.bind\":\"/accounts(00000000-0000-0000-0000-000000000001)\""),
        ("bind with a bad guid", "\"ownerid@odata.bind\":\"/systemusers(abc)\""),
        ("bind with an empty key", "\"ownerid@odata.bind\":\"/systemusers()\""),
        ("bind without parentheses", "\"ownerid@odata.bind\":\"/systemusers\""),
        ("bind without a key at all", "\"ownerid@odata.bind\":\"systemusers 00000000-0000-0000-0000-000000000001\""),
        ("bind with a path after the key", "\"ownerid@odata.bind\":\"/systemusers(00000000-0000-0000-0000-000000000001)/fullname\""),
        ("bind as a number", "\"ownerid@odata.bind\":5"),
        ("bind as an object", "\"ownerid@odata.bind\":{\"@odata.id\":\"/systemusers(00000000-0000-0000-0000-000000000001)\"}"),
        ("bind as an array", "\"ownerid@odata.bind\":[\"/systemusers(00000000-0000-0000-0000-000000000001)\"]"),
        ("bind on a string column", "\"msdyn_name@odata.bind\":\"/systemusers(00000000-0000-0000-0000-000000000001)\""),
        ("bind on an unknown navigation property", "\"parentcustomerid@odata.bind\":\"/systemusers(00000000-0000-0000-0000-000000000001)\""),
        ("bind to a user that does not exist", "\"ownerid@odata.bind\":\"/systemusers(0a0a0a0a-0000-0000-0000-000000000001)\""),
        ("bind to a team that does not exist", "\"ownerid@odata.bind\":\"/teams(0a0a0a0a-0000-0000-0000-000000000001)\""),
        ("ownerid cleared", "\"ownerid@odata.bind\":null"),
    ];

    /// <summary>Key segments that do not name one record by GUID.</summary>
    private static readonly (string Name, string Key, int Status)[] BadKeys =
    [
        ("not a guid", "(abc)", BadRequest400),
        ("a number", "(1)", BadRequest400),
        ("a negative number", "(-1)", BadRequest400),
        ("a quoted guid", "('{guid}')", BadRequest400),
        ("empty", "()", BadRequest400),
        ("two keys", "({guid},{guid})", BadRequest400),
        ("an unknown key property", "(x={guid})", BadRequest400),
        ("the key property with a bad value", "(msdyn_ocwhatsappchannelaccountid=abc)", BadRequest400),
        ("an alternate key that does not exist", "(msdyn_name='x')", BadRequest400),
        ("an unclosed parenthesis", "({guid}", BadRequest400),
        ("an extra parenthesis", "({guid}))", BadRequest400),
        ("a braced guid", "({{guid}})", BadRequest400),
        ("null", "(null)", BadRequest400),
        ("true", "(true)", BadRequest400),
        ("an OData v3 guid literal", "(guid'{guid}')", BadRequest400),
        ("key as a segment", "/{guid}", BadRequest400),
        ("two key segments", "({guid})({guid})", BadRequest400),
    ];

    private static readonly string[] BadQueries =
    [
        "$filter=garbage", "$filter=msdyn_name eq", "$filter=(msdyn_name eq 'x'", "$filter=msdyn_name eq 'x')",
        "$filter=msdyn_name eq 'x", "$filter=msdyn_name eq 'O'Bryan'", "$filter=foo(msdyn_name)", "$filter=tolower(msdyn_name) eq 'x'",
        "$filter=msdyn_name eq 5", "$filter=timezoneruleversionnumber eq 'x'", "$filter=timezoneruleversionnumber eq 99999999999",
        "$filter=timezoneruleversionnumber eq 1e400", "$filter=createdon eq 'x'", "$filter=createdon eq 2020-13-01",
        "$filter=_ownerid_value eq 'abc'", "$filter=_ownerid_value eq abc", "$filter=msdyn_ocwhatsappchannelaccountid eq 5",
        "$filter=ownerid/fullname eq 'x'", "$filter=1 eq 1", "$filter=true", "$filter=msdyn_name", "$filter=timezoneruleversionnumber add 1 eq 2",
        "$filter=contains(msdyn_name)", "$filter=contains(msdyn_name,5)", "$filter=contains(5,msdyn_name)", "$filter=msdyn_name in ('a','b')",
        "$filter=msdyn_name has 'a'", "$filter=msdyn_name eq 'a' and", "$filter=not", "$filter=not msdyn_name", "$filter=msdyn_name gt null",
        "$filter=$it eq null", "$filter=cast(msdyn_name,Edm.Int32) eq 1", "$filter=isof('x')", "$filter=length(msdyn_name) eq 1",
        "$filter=msdyn_name eq @p1&@p1=garbage(", "$filter=" + new string('(', 300) + "true" + new string(')', 300),
        "$filter=msdyn_name eq 'a\0b'",
        // A NUL in $apply or in an alias it uses (a 500 on PostgreSQL), and in FetchXML.
        "$apply=filter(msdyn_name eq 'a\0b')/aggregate($count as c)", "$apply=filter(msdyn_name eq @p1)/aggregate($count as c)&@p1='a\0'",
        "fetchXml=<fetch><entity name='msdyn_ocwhatsappchannelaccount'><filter><condition attribute='msdyn_name' operator='eq' value='a\0b'/></filter></entity></fetch>",
        // Microsoft.OData.Core's binders throw argument and null-reference exceptions for these, not ODataException.
        "$filter=cast(1,2) eq 1", "$filter=isof(msdyn_name,1)", "$orderby=cast(1,2)", "$expand=owninguser($filter=isof(1,2))",
        "$filter=msdyn_name in ca_msdyn_ocwhatsappchannelaccount_ca_whatsappmessage",
        "$filter=ca_msdyn_ocwhatsappchannelaccount_ca_whatsappmessage/any(m:isof(m,1))",
        // Dataverse allows $top and $orderby in a collection-valued $expand, or a nested $expand, not both.
        "$expand=ca_msdyn_ocwhatsappchannelaccount_ca_whatsappmessage($top=1;$expand=ca_whatsappaccountid)",
        "$expand=ca_msdyn_ocwhatsappchannelaccount_ca_whatsappmessage($orderby=ca_body;$expand=ca_whatsappaccountid($select=msdyn_name))",
        "$filter=Microsoft.Dynamics.CRM.In(PropertyName='msdyn_name',PropertyValues=[\"a\"",
        "$filter=Microsoft.Dynamics.CRM.In(PropertyName='nope',PropertyValues=[\"a\"])",
        "$filter=Microsoft.Dynamics.CRM.In(PropertyName='msdyn_name')",
        "$filter=Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue='x')",
        "$filter=Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon')",
        "$filter=Microsoft.Dynamics.CRM.Between(PropertyName='timezoneruleversionnumber',PropertyValues=[\"1\"])",
        "$filter=Microsoft.Dynamics.CRM.Between(PropertyName='timezoneruleversionnumber',PropertyValues=[\"a\",\"b\"])",
        "$filter=Microsoft.Dynamics.CRM.In(PropertyName=5,PropertyValues=[\"a\"])",
        "$filter=Microsoft.Dynamics.CRM.On(PropertyName='createdon',PropertyValue='garbage')",
        "$filter=Microsoft.Dynamics.CRM.Nonsense(PropertyName='createdon')",
        "$filter=not Microsoft.Dynamics.CRM.Today(PropertyName='createdon')",
        "$select=nope", "$select=msdyn_name/x", "$select=msdyn_name($select=x)", "$select=,", "$select=ownerid/fullname",
        "$select=owneridtype", "$select=msdyn_ocwhatsappchannelaccount_msdyn_ocwhatsappchannelnumber_ocwhatsappaccountid",
        "$orderby=nope", "$orderby=msdyn_name sideways", "$orderby=msdyn_name asc desc", "$orderby=ownerid", "$orderby=ownerid/fullname",
        "$orderby=tolower(msdyn_name)", "$orderby=1", "$orderby=owneridtype",
        "$top=0", "$top=-1", "$top=abc", "$top=1.5", "$top=99999999999", "$top=",
        "$count=yes", "$count=", "$count=1",
        "$skip=1", "$skip=abc",
        "$expand=nope", "$expand=msdyn_name", "$expand=ownerid($expand=businessunitid)", "$expand=ownerid($select=nope)",
        "$expand=ownerid($filter=x)", "$expand=ownerid($top=1)", "$expand=ownerid(", "$expand=ownerid/$ref($top=1)", "$expand=_ownerid_value", "$expand=$ref", "$expand=owninguser($expand=$ref)",
        "$expand=ownerid($levels=2)", "$expand=owningbusinessunit($expand=nope)", "$expand=createdby($expand=businessunitid($top=1))", "$expand=createdby($select=nope)",
        "$foo=1", "$format=xml", "$search=x", "$apply=groupby((statecode)", "$apply=groupby((nope))", "$compute=x", "$levels=2", "$SELECT=msdyn_name",
        "$select=msdyn_name&$select=msdyn_name", "$filter=msdyn_name eq 'a'&$filter=msdyn_name eq 'b'", "$top=1&$top=2",
        "fetchXml=<fetch/>", "fetchXml=<fetch", "savedQuery=00000000-0000-0000-0000-000000000001", "userQuery=00000000-0000-0000-0000-000000000001",
        "sql=SELECT TOP 2 msdyn_name FROM msdyn_ocwhatsappchannelaccount",
    ];

    private static readonly string[] ListOnlyQueries =
    [
        "$skiptoken=abc", "$skiptoken=<cookie pagenumber=\"1\" pagingcookie=\"\" />", "$skiptoken=<cookie pagenumber=\"x\" pagingcookie=\"\" />",
        "$apply=groupby((createdon))", "$apply=groupby((statecode),aggregate($count as 1bad))",
        "$apply=aggregate(importsequencenumber with sum as to-tal)",
        "$filter=Microsoft.Dynamics.CRM.OlderThanXYears(PropertyName='createdon',PropertyValue=300)",
        "$filter=Microsoft.Dynamics.CRM.ThisMonth(PropertyName='msdyn_name')",
        "$filter=Microsoft.Dynamics.CRM.EqualUserTeams(PropertyName='msdyn_name')",
        "$filter=Microsoft.Dynamics.CRM.EqualUserId(PropertyName='msdyn_name')",
        "$filter=Microsoft.Dynamics.CRM.NotEqualUserId(PropertyName='statecode')",
        "$filter=Microsoft.Dynamics.CRM.EqualBusinessId(PropertyName='createdon')",
        "$filter=Microsoft.Dynamics.CRM.NotEqualBusinessId(PropertyName='versionnumber')",
        "fetchXml=<fetch><entity name='msdyn_ocwhatsappchannelaccount'><filter><condition attribute='createdon' operator='eq-userid'/></filter></entity></fetch>",
        // Values only a query's compilation checks (a GET of one record ignores $filter).
        "$filter=Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=2147483647)",
        "$filter=Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=-1)",
        "$filter=Microsoft.Dynamics.CRM.NextXDays(PropertyName='createdon',PropertyValue='3000000')",
        "fetchXml=<fetch><entity name='msdyn_ocwhatsappchannelaccount'><filter><condition attribute='createdon' operator='last-x-days' value='2147483647'/></filter></entity></fetch>",
        "fetchXml=<fetch><entity name='msdyn_ocwhatsappchannelaccount'><attribute name='msdyn_name'/>" +
            string.Concat(Enumerable.Range(0, 16).Select(i => $"<link-entity name='systemuser' from='systemuserid' to='owninguser' alias='u{i}'/>")) +
            "</entity></fetch>",
        "fetchXml=<fetch top='5001'><entity name='msdyn_ocwhatsappchannelaccount'><attribute name='msdyn_name'/></entity></fetch>",
    ];

    public static Dictionary<string, BadRequest> Build()
    {
        var corpus = new Dictionary<string, BadRequest>(StringComparer.Ordinal);
        void Add(string name, BadRequest request) => corpus.Add(name, request);

        foreach (var (name, body) in BrokenJson)
        {
            Add($"POST set, {name}", new BadRequest("POST", Set, body, Status: BadRequest400));
            Add($"PATCH record, {name}", new BadRequest("PATCH", Record, body, Status: BadRequest400));
            Add($"PATCH new record (upsert), {name}", new BadRequest("PATCH", NewRecord, body, Status: BadRequest400));
            Add($"PUT property, {name}", new BadRequest("PUT", Record + "/msdyn_name", body, Status: BadRequest400));
        }

        Add("POST set, invalid UTF-8 bytes", new BadRequest("POST", Set, RawBody: [.. "{\"msdyn_name\":\""u8, 0xFF, 0xFE, .. "\"}"u8], Status: BadRequest400));
        Add("PATCH record, invalid UTF-8 bytes", new BadRequest("PATCH", Record, RawBody: [.. "{\"msdyn_name\":\""u8, 0xC0, 0xAF, .. "\"}"u8], Status: BadRequest400));
        Add("PUT property, invalid UTF-8 bytes", new BadRequest("PUT", Record + "/msdyn_name", RawBody: [.. "{\"value\":\""u8, 0xED, 0xA0, 0x80, .. "\"}"u8], Status: BadRequest400));
        Add("POST set, UTF-16 body", new BadRequest("POST", Set, RawBody: Encoding.Unicode.GetBytes("{\"msdyn_name\":\"x\"}"), Status: BadRequest400));
        Add("POST set, body over the size limit", new BadRequest("POST", Set, $$"""{"msdyn_name":"x","msdyn_twilioinboundurl":"{{new string('z', 70 * 1024)}}"}""", Status: TooLarge));
        Add("PATCH record, body over the size limit", new BadRequest("PATCH", Record, $$"""{"msdyn_name":"{{new string('z', 70 * 1024)}}"}""", Status: TooLarge));

        foreach (var (name, properties) in BadValues)
        {
            var body = "{\"msdyn_name\":\"Bad value\"," + properties + "}";
            if (properties.StartsWith("\"msdyn_name\"", StringComparison.Ordinal) || properties.StartsWith("\"MSDYN", StringComparison.Ordinal))
            {
                body = "{" + properties + "}";
            }

            // ownerid cleared is valid on no write: a record always has an owner.
            Add($"POST set, {name}", new BadRequest("POST", Set, body));
            Add($"PATCH record, {name}", new BadRequest("PATCH", Record, body));
            Add($"PATCH new record (upsert), {name}", new BadRequest("PATCH", NewRecord, body));
        }

        foreach (var (name, value) in new[]
                 {
                     ("number for a string", "5"), ("too long", $"\"{new string('n', 101)}\""), ("object", "{\"a\":1}"),
                     ("array", "[\"x\"]"), ("NUL", "\"a\\u0000b\""),
                 })
        {
            Add($"PUT msdyn_name, {name}", new BadRequest("PUT", Record + "/msdyn_name", "{\"value\":" + value + "}", Status: BadRequest400));
        }

        foreach (var (name, body) in new[]
                 {
                     ("no value property", "{}"), ("value misspelt", "{\"val\":\"x\"}"), ("bare string", "\"x\""), ("bare array", "[\"x\"]"),
                 })
        {
            Add($"PUT msdyn_name, {name}", new BadRequest("PUT", Record + "/msdyn_name", body, Status: BadRequest400));
        }

        foreach (var column in new[] { "createdon", "versionnumber", "msdyn_ocwhatsappchannelaccountid", "importsequencenumber", "overriddencreatedon" })
        {
            Add($"PUT read-only {column}", new BadRequest("PUT", $"{Record}/{column}", "{\"value\":null}", Status: BadRequest400));
            Add($"DELETE read-only {column}", new BadRequest("DELETE", $"{Record}/{column}", Status: BadRequest400));
        }

        foreach (var lookup in new[] { "ownerid", "_ownerid_value", "createdby", "owningbusinessunit" })
        {
            Add($"PUT lookup {lookup}", new BadRequest("PUT", $"{Record}/{lookup}", "{\"value\":\"00000000-0000-0000-0000-000000000001\"}"));
            Add($"DELETE lookup {lookup}", new BadRequest("DELETE", $"{Record}/{lookup}"));
        }

        foreach (var property in new[] { "nope", "MSDYN_NAME", "owneridtype", "owneridname" })
        {
            Add($"GET unknown property {property}", new BadRequest("GET", $"{Record}/{property}", Status: NotFound));
            Add($"PUT unknown property {property}", new BadRequest("PUT", $"{Record}/{property}", "{\"value\":\"x\"}", Status: NotFound));
        }

        foreach (var (name, contentType) in new[]
                 {
                     ("text/plain", "text/plain"), ("application/xml", "application/xml"), ("missing", null),
                     ("form", "application/x-www-form-urlencoded"), ("multipart", "multipart/form-data; boundary=x"),
                     ("garbage", "garbage"), ("an unknown charset", "application/json; charset=klingon"), ("UTF-7, which .NET no longer reads", "application/json; charset=utf-7"), ("empty", ""),
                 })
        {
            Add($"POST set, Content-Type {name}", new BadRequest("POST", Set, """{"msdyn_name":"x"}""", contentType, Status: UnsupportedMediaType));
            Add($"PATCH record, Content-Type {name}", new BadRequest("PATCH", Record, """{"msdyn_name":"x"}""", contentType, Status: UnsupportedMediaType));
            Add($"PATCH new record, Content-Type {name}", new BadRequest("PATCH", NewRecord, """{"msdyn_name":"x"}""", contentType, Status: UnsupportedMediaType));
            Add($"PUT property, Content-Type {name}", new BadRequest("PUT", Record + "/msdyn_name", """{"value":"x"}""", contentType, Status: UnsupportedMediaType));
        }

        Add("POST set, empty body", new BadRequest("POST", Set, "", Status: BadRequest400));
        Add("PATCH record, empty body", new BadRequest("PATCH", Record, "", Status: BadRequest400));
        Add("PUT property, empty body", new BadRequest("PUT", Record + "/msdyn_name", "", Status: BadRequest400));
        Add("POST set, no body", new BadRequest("POST", Set, ContentType: null, Status: BadRequest400));
        Add("PATCH record, no body", new BadRequest("PATCH", Record, ContentType: null, Status: BadRequest400));

        foreach (var (name, key, status) in BadKeys)
        {
            var url = Set + key.Replace("{guid}", "{id}", StringComparison.Ordinal);
            Add($"GET key {name}", new BadRequest("GET", url, Status: key.StartsWith('/') ? 0 : status));
            Add($"PATCH key {name}", new BadRequest("PATCH", url, """{"msdyn_name":"x"}""", Status: key.StartsWith('/') ? 0 : status));
            Add($"DELETE key {name}", new BadRequest("DELETE", url, Status: key.StartsWith('/') ? 0 : status));
            Add($"GET property with key {name}", new BadRequest("GET", url + "/msdyn_name"));
        }

        Add("PATCH record, body id of another record", new BadRequest("PATCH", Record, """{"msdyn_name":"x","msdyn_ocwhatsappchannelaccountid":"{new}"}""", Status: BadRequest400));
        Add("PATCH new record, body id of another record", new BadRequest("PATCH", NewRecord, """{"msdyn_name":"x","msdyn_ocwhatsappchannelaccountid":"{id}"}""", Status: BadRequest400));
        Add("PATCH the empty guid", new BadRequest("PATCH", Set + "(00000000-0000-0000-0000-000000000000)", """{"msdyn_name":"x"}""", Status: BadRequest400));
        Add("GET the empty guid", new BadRequest("GET", Set + "(00000000-0000-0000-0000-000000000000)", Status: NotFound));
        Add("GET a record that does not exist", new BadRequest("GET", NewRecord, Status: NotFound));
        Add("DELETE a record that does not exist", new BadRequest("DELETE", NewRecord, Status: NotFound));
        Add("GET a property of a record that does not exist", new BadRequest("GET", NewRecord + "/msdyn_name", Status: NotFound));
        Add("PUT a property of a record that does not exist", new BadRequest("PUT", NewRecord + "/msdyn_name", """{"value":"x"}""", Status: NotFound));
        Add("DELETE a property of a record that does not exist", new BadRequest("DELETE", NewRecord + "/msdyn_name", Status: NotFound));

        foreach (var query in BadQueries)
        {
            Add($"GET set?{query}", new BadRequest("GET", $"{Set}?{query}", Status: BadRequest400));
            Add($"GET $count?{query}", new BadRequest("GET", $"{Set}/$count?{query}", Status: BadRequest400));
            Add($"GET record?{query}", new BadRequest("GET", $"{Record}?{query}", Status: BadRequest400));
            Add($"POST return=representation?{query}", new BadRequest("POST", $"{Set}?{query}", """{"msdyn_name":"x"}""",
                Headers: [("Prefer", "return=representation")], Status: BadRequest400));
            Add($"PATCH return=representation?{query}", new BadRequest("PATCH", $"{Record}?{query}", """{"msdyn_name":"x"}""",
                Headers: [("Prefer", "return=representation")], Status: BadRequest400));
            // Without return=representation the options shape no answer, but they are still checked before any write.
            Add($"POST?{query}", new BadRequest("POST", $"{Set}?{query}", """{"msdyn_name":"x"}""", Status: BadRequest400));
            Add($"PATCH?{query}", new BadRequest("PATCH", $"{Record}?{query}", """{"msdyn_name":"x"}""", Status: BadRequest400));
        }

        foreach (var query in ListOnlyQueries)
        {
            Add($"GET set?{query}", new BadRequest("GET", $"{Set}?{query}", Status: BadRequest400));
        }

        foreach (var (name, headers, status) in new (string, (string, string)[], int)[]
                 {
                     ("If-Match garbage", [("If-Match", "garbage")], BadRequest400),
                     ("If-Match unquoted", [("If-Match", "W/1")], BadRequest400),
                     ("If-Match unterminated", [("If-Match", "W/\"1")], BadRequest400),
                     ("If-Match empty etag", [("If-Match", "W/\"\"")], BadRequest400),
                     ("If-Match not a number", [("If-Match", "W/\"abc\"")], PreconditionFailed),
                     ("If-Match stale", [("If-Match", "W/\"1\"")], PreconditionFailed),
                     ("If-Match huge", [("If-Match", "W/\"99999999999999999999999\"")], PreconditionFailed),
                     ("If-Match list", [("If-Match", "W/\"1\", W/\"2\"")], 0),
                     ("If-Match present but empty", [("If-Match", "")], BadRequest400),
                     ("If-None-Match any on a record that exists", [("If-None-Match", "*")], PreconditionFailed),
                 })
        {
            Add($"PATCH record, {name}", new BadRequest("PATCH", Record, """{"msdyn_name":"x"}""", Headers: headers, Status: status));
            Add($"DELETE record, {name}", new BadRequest("DELETE", Record, Headers: headers, Status: status));
            Add($"PUT property, {name}", new BadRequest("PUT", Record + "/msdyn_name", """{"value":"x"}""", Headers: headers, Status: status));
        }

        foreach (var query in new[] { "$filter=nope eq 1", "$select=nope", "$bogus=1" })
        {
            Add($"DELETE record?{query}", new BadRequest("DELETE", $"{Record}?{query}", Status: BadRequest400));
            Add($"PUT property?{query}", new BadRequest("PUT", $"{Record}/msdyn_name?{query}", """{"value":"x"}""", Status: BadRequest400));
            Add($"DELETE property?{query}", new BadRequest("DELETE", $"{Record}/msdyn_name?{query}", Status: BadRequest400));
            Add($"PUT ownerid $ref?{query}", new BadRequest("PUT", $"{Record}/ownerid/$ref?{query}",
                """{"@odata.id":"systemusers(00000000-0000-0000-0000-000000000001)"}""", Status: BadRequest400));
            Add($"POST CreateMultiple?{query}", new BadRequest("POST", $"{Set}/Microsoft.Dynamics.CRM.CreateMultiple?{query}",
                """{"Targets":[{"@odata.type":"Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount","msdyn_name":"x"}]}""", Status: BadRequest400));
        }

        Add("PUT property, a member beside value", new BadRequest("PUT", Record + "/msdyn_name", """{"value":"x","msdyn_description":"y"}""", Status: BadRequest400));
        Add("PUT ownerid $ref, a member beside @odata.id", new BadRequest("PUT", Record + "/ownerid/$ref",
            """{"@odata.id":"systemusers(00000000-0000-0000-0000-000000000001)","ownerid":"x"}""", Status: BadRequest400));
        Add("PUT ownerid $ref, If-Match present but empty", new BadRequest("PUT", Record + "/ownerid/$ref",
            """{"@odata.id":"systemusers(00000000-0000-0000-0000-000000000001)"}""", Headers: [("If-Match", "")], Status: BadRequest400));
        Add("PATCH record, If-None-Match any", new BadRequest("PATCH", Record, """{"msdyn_name":"x"}""", Headers: [("If-None-Match", "*")], Status: PreconditionFailed));

        foreach (var path in new[]
                 {
                     "RetrieveSharedPrincipalsAndAccess(Target=cast(1,2))", "IsValidStateTransition(Entity=cast(1,2),NewState='Inactive',NewStatus=2)",
                     "RetrieveSharedPrincipalsAndAccess(Target=x in ca_msdyn_ocwhatsappchannelaccount_ca_whatsappmessage)",
                     "systemusers(00000000-0000-0000-0000-000000000001)/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=isof(1,2))",
                     // A lone surrogate or a NUL in an aliased entity parameter (was a 500).
                     "RetrieveSharedPrincipalsAndAccess(Target=@p1)?@p1=%7B'@odata.id':'%5Cud800'%7D",
                     "RetrieveSharedPrincipalsAndAccess(Target=@p1)?@p1=%7B'%5Cudc00':'x'%7D",
                     "IsValidStateTransition(Entity=@e,NewState='Inactive',NewStatus=2)?@e=%7B'@odata.id':'a%5Cu0000'%7D",
                 })
        {
            Add($"GET function {path}", new BadRequest("GET", path, Status: BadRequest400));
        }

        Add("PATCH new record, If-Match any", new BadRequest("PATCH", NewRecord, """{"msdyn_name":"x"}""", Headers: [("If-Match", "*")], Status: NotFound));
        Add("PATCH new record, If-Match etag", new BadRequest("PATCH", NewRecord, """{"msdyn_name":"x"}""", Headers: [("If-Match", "W/\"1\"")], Status: NotFound));

        var anonymousRoutes = new[]
        {
            ("GET", Set), ("GET", Record), ("POST", Set), ("PATCH", Record), ("DELETE", Record), ("GET", Set + "/$count"),
            ("GET", "WhoAmI"), ("GET", ""), ("GET", "$metadata"), ("PUT", Record + "/msdyn_name"), ("GET", "nope"),
        };
        foreach (var (name, authorization) in new[]
                 {
                     ("missing", ""), ("Bearer without a token", "Bearer"), ("Bearer and a space", "Bearer "), ("Basic", "Basic YWRtaW46YWRtaW4="),
                     ("garbage token", "Bearer garbage"), ("three dots", "Bearer a.b.c"), ("Negotiate", "Negotiate abc"),
                     ("unsigned token", "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDEiLCJhdWQiOiJjaGFubmVsYWNjb3VudHMiLCJpc3MiOiJjaGFubmVsYWNjb3VudHMiLCJleHAiOjQxMDI0NDQ4MDB9."),
                     ("forged signature", "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDEiLCJhdWQiOiJjaGFubmVsYWNjb3VudHMiLCJpc3MiOiJjaGFubmVsYWNjb3VudHMiLCJleHAiOjQxMDI0NDQ4MDB9.c2lnbmF0dXJl"),
                     ("huge token", "Bearer " + new string('x', 6000)),
                 })
        {
            foreach (var (method, url) in anonymousRoutes)
            {
                var body = method is "POST" or "PATCH" ? """{"msdyn_name":"x"}""" : method == "PUT" ? """{"value":"x"}""" : null;
                Add($"{method} /{url}, Authorization {name}", new BadRequest(method, url, body, Status: Unauthorized, Authorization: authorization));
            }
        }

        var routes = new (string Name, string Url, string[] Allowed, int Status)[]
        {
            ("entity set", Set, ["GET", "POST"], MethodNotAllowed),
            ("record", Record, ["GET", "PATCH", "DELETE"], MethodNotAllowed),
            ("property", Record + "/msdyn_name", ["GET", "PUT", "DELETE"], MethodNotAllowed),
            ("property $value", Record + "/msdyn_name/$value", ["GET"], MethodNotAllowed),
            ("$count", Set + "/$count", ["GET"], MethodNotAllowed),
            ("service root", "", ["GET"], MethodNotAllowed),
            ("$metadata", "$metadata", ["GET"], MethodNotAllowed),
            ("WhoAmI", "WhoAmI", ["GET"], NotFound),
            ("WhoAmI()", "WhoAmI()", ["GET"], NotFound),
        };
        foreach (var (name, url, allowed, status) in routes)
        {
            foreach (var method in new[] { "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "MERGE", "FOO" }.Except(allowed))
            {
                var body = method is "POST" or "PUT" or "PATCH" or "MERGE" ? """{"msdyn_name":"x"}""" : null;
                Add($"{method} {name}", new BadRequest(method, url, body, Status: method == "HEAD" ? 0 : status));
            }
        }

        foreach (var (name, url, status) in new[]
                 {
                     ("unknown entity set", "accounts", NotFound),
                     ("entity set in other case", "MSDYN_OCWHATSAPPCHANNELACCOUNTS", NotFound),
                     ("shares set (not served)", "principalobjectaccessset", 0),
                     ("unknown function", "Microsoft.Dynamics.CRM.Nope()", NotFound),
                     ("whoami lower case", "whoami", NotFound),
                     ("WhoAmI with a parameter", "WhoAmI(x=1)", 0),
                     ("WhoAmI unclosed", "WhoAmI(", 0),
                     ("path after WhoAmI", "WhoAmI/x", 0),
                     ("path after $metadata", "$metadata/x", NotFound),
                     ("$count of the service", "$count", NotFound),
                     ("$count of $count", Set + "/$count/$count", 0),
                     ("$ref of the set", Set + "/$ref", 0),
                     ("$value of the set", Set + "/$value", 0),
                     ("$value of a record", Record + "/$value", 0),
                     ("$ref of a record", Record + "/$ref", 0),
                     ("path after the $ref of a lookup", Record + "/ownerid/$ref/x", 0),
                     ("key after a lookup", Record + "/ownerid(00000000-0000-0000-0000-000000000001)", 0),
                     ("unknown navigation", Record + "/nope/$ref", 0),
                     ("path after a property", Record + "/msdyn_name/x", 0),
                     ("path after $value", Record + "/msdyn_name/$value/x", 0),
                     ("$count of a record", Record + "/$count", 0),
                     ("type cast of the set", Set + "/Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount", 0),
                     ("bound action", Set + "/Microsoft.Dynamics.CRM.CreateMultiple", 0),
                     ("$each", Set + "/$each", 0),
                     ("$query", Set + "/$query", 0),
                     ("$all", "$all", 0),
                     ("$entity", "$entity?$id=x", 0),
                     ("$crossjoin", "$crossjoin(a)", 0),
                     ("$root", "$root", 0),
                     ("a long unknown segment", new string('a', 4000), NotFound),
                     ("unsupported version", "../v9.3/" + Set, NotFound),
                     ("old version", "../v8.0/" + Set, NotFound),
                     ("semicolon parameter", Set + ";x=1", 0),
                     ("unbalanced quote", Set + "(')", BadRequest400),
                     ("a lone parenthesis", Set + "(", BadRequest400),
                     ("closing parenthesis", Set + ")", 0),
                     ("at sign", "@x", 0),
                     ("dollar", "$", 0),
                     ("$batch by GET", "$batch", 0),
                 })
        {
            Add($"GET {name}", new BadRequest("GET", url, Status: status));
            Add($"DELETE {name}", new BadRequest("DELETE", url, Status: status == NotFound ? NotFound : 0));
        }

        return corpus;
    }
}
