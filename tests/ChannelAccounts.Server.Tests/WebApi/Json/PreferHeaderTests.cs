using ChannelAccounts.Server.WebApi.Json;
using Microsoft.Extensions.Primitives;

namespace ChannelAccounts.Server.Tests.WebApi.Json;

/// <summary>Prefer as RFC 7240 reads it: of a preference given more than once, in one header line or in several, the first counts.</summary>
public sealed class PreferHeaderTests
{
    [Theory]
    [InlineData("return=minimal, return=representation", false)]
    [InlineData("return=representation, return=minimal", true)]
    [InlineData("return=representation", true)]
    public void The_first_return_preference_counts(string header, bool representation) =>
        Assert.Equal(representation, PreferHeader.Parse(header).ReturnRepresentation);

    [Fact]
    public void The_first_of_two_header_lines_naming_the_same_preference_counts()
    {
        var prefer = PreferHeader.Parse(new StringValues(["odata.maxpagesize=10", "odata.maxpagesize=20, return=representation"]));

        Assert.Equal(10, prefer.MaxPageSize);
        Assert.True(prefer.ReturnRepresentation);
    }

    [Fact]
    public void Different_preferences_in_separate_lines_all_count()
    {
        var prefer = PreferHeader.Parse(new StringValues(["return=representation", "odata.include-annotations=\"*\""]));

        Assert.True(prefer.ReturnRepresentation);
        Assert.True(prefer.Includes("OData.Community.Display.V1.FormattedValue"));
    }
}
