using System.Text.Json;

namespace ChannelAccounts.Server.WebApi.Json;

/// <summary>
/// The body of a function's or action's complex return value (WhoAmIResponse, CreateMultipleResponse…) at the request's
/// odata.metadata level, as Microsoft.OData.Core writes one: @odata.context unless none; with full, the @odata.type of
/// every complex value (the response's own and nested ones) and "x@odata.type" before each value JSON does not type
/// (a Guid, an enum member, a collection); with none, no @odata.type at all, not even a derived entity's.
/// </summary>
public sealed class OperationResponse
{
    private readonly MetadataLevel _level;

    private OperationResponse(Utf8JsonWriter writer, MetadataLevel level) => (Writer, _level) = (writer, level);

    public Utf8JsonWriter Writer { get; }

    /// <summary>Writes the response of type <paramref name="typeName"/> (Microsoft.Dynamics.CRM.WhoAmIResponse) in one piece.</summary>
    public static Task WriteAsync(WebApiContext api, string typeName, Action<OperationResponse> properties)
    {
        var http = api.Http;
        var level = api.Metadata;
        http.Response.ContentType = level.ContentType();
        http.Response.Headers["OData-Version"] = "4.0";
        return JsonOutput.WriteAsync(http.Response, writer =>
        {
            var response = new OperationResponse(writer, level);
            writer.WriteStartObject();
            if (level != MetadataLevel.None)
            {
                writer.WriteString("@odata.context", api.MetadataUri(typeName));
            }

            response.ComplexType(typeName);
            properties(response);
            writer.WriteEndObject();
        }, api.Aborted);
    }

    /// <summary>The @odata.type of the complex value being written (its first member), with full metadata.</summary>
    public void ComplexType(string typeName)
    {
        if (_level == MetadataLevel.Full)
        {
            Writer.WriteString("@odata.type", "#" + typeName);
        }
    }

    /// <summary>The type annotation before a property's value, with full metadata: "#Guid", "#Collection(Guid)"…</summary>
    public void PropertyType(string property, string type)
    {
        if (_level == MetadataLevel.Full)
        {
            Writer.WriteString(property + "@odata.type", type);
        }
    }

    /// <summary>A Guid property, after its type with full metadata.</summary>
    public void WriteGuid(string property, Guid value)
    {
        PropertyType(property, "#Guid");
        Writer.WriteString(property, value);
    }

    /// <summary>
    /// The @odata.type of an entity whose declared type is a base type (a principal that is a systemuser): at minimal
    /// and full, as minimal writes it today; with none, left out as every type is.
    /// </summary>
    public void DerivedType(string typeName)
    {
        if (_level != MetadataLevel.None)
        {
            Writer.WriteString("@odata.type", "#" + typeName);
        }
    }
}
