using ChannelAccounts.Server.WebApi.Json;
using Microsoft.Extensions.Primitives;

namespace ChannelAccounts.Server.Tests.WebApi.Json;

/// <summary>The odata.metadata level picked from Accept, as Microsoft.OData.Core 8.4.4 picks it (each case checked against its writer).</summary>
public sealed class AcceptHeaderTests
{
    private static MetadataLevel? LevelOf(params string[] accept) =>
        AcceptHeader.TryNegotiate(new StringValues(accept), out var level, out _) ? level : null;

    [Theory]
    [InlineData("")]
    [InlineData("application/json")]
    [InlineData("*/*")]
    [InlineData("application/*")]
    [InlineData(" application/json ")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json;odata.streaming=true")]
    [InlineData("application/json;odata.streaming=false;IEEE754Compatible=true")]
    [InlineData("application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false")]
    [InlineData("application/json, text/plain, */*")]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")]
    [InlineData("*/*;odata.metadata=none")]
    [InlineData("*/json")]
    [InlineData("application/*;odata.metadata=full")]
    [InlineData("application/json;q=0.5;odata.metadata=none")]
    public void Accept_without_a_level_for_json_is_answered_at_minimal(string accept) =>
        Assert.Equal(MetadataLevel.Minimal, LevelOf(accept));

    [Theory]
    [InlineData("application/json;odata.metadata=none", MetadataLevel.None)]
    [InlineData("application/json;odata.metadata=full", MetadataLevel.Full)]
    [InlineData("application/json; odata.metadata=full; odata.streaming=true", MetadataLevel.Full)]
    [InlineData("Application/JSON;ODATA.METADATA=None", MetadataLevel.None)]
    [InlineData("application/json;odata.metadata=FULL", MetadataLevel.Full)]
    [InlineData("application/json;odata.metadata=\"full\"", MetadataLevel.Full)]
    [InlineData("application/json;metadata=none", MetadataLevel.None)]
    [InlineData("application/json;odata.metadata=none;charset=utf-8", MetadataLevel.None)]
    [InlineData("application/json;odata.metadata=full;odata.metadata=full", MetadataLevel.Full)]
    public void Accept_odata_metadata_names_the_level(string accept, MetadataLevel expected) =>
        Assert.Equal(expected, LevelOf(accept));

    [Theory]
    // The most specific range wins before q: application/json over */* (ODataLib's MediaTypeMatchInfo.CompareTo).
    [InlineData("application/json;odata.metadata=none;q=0.5, */*", MetadataLevel.None)]
    [InlineData("application/json;odata.metadata=full;q=0.5, application/json;odata.metadata=none;q=0.9", MetadataLevel.None)]
    [InlineData("application/json;odata.metadata=none;q=0, application/json", MetadataLevel.Minimal)]
    // At equal q, minimal is preferred to full, and full to none; a bare application/json counts as minimal.
    [InlineData("application/json;odata.metadata=none, application/json;odata.metadata=full", MetadataLevel.Full)]
    [InlineData("application/json;odata.metadata=minimal, application/json;odata.metadata=none", MetadataLevel.Minimal)]
    [InlineData("application/json;odata.metadata=full;q=0.5, application/json;q=0.5", MetadataLevel.Minimal)]
    // Format parameters beyond the level do not weigh: every one must match, and then they are equal.
    [InlineData("application/json;odata.metadata=full, application/json;odata.metadata=none;odata.streaming=true", MetadataLevel.Full)]
    [InlineData("application/xml, application/json;odata.metadata=none", MetadataLevel.None)]
    [InlineData("application/json;odata.metadata=bogus, application/json;odata.metadata=full", MetadataLevel.Full)]
    public void Several_media_ranges_are_weighed_as_ODataLib_weighs_them(string accept, MetadataLevel expected) =>
        Assert.Equal(expected, LevelOf(accept));

    [Fact]
    public void Several_Accept_headers_count_as_one_list() =>
        Assert.Equal(MetadataLevel.Full, LevelOf("application/xml", "application/json;odata.metadata=full"));

    [Theory]
    [InlineData("application/xml")]
    [InlineData("application/atom+xml")]
    [InlineData("text/plain")]
    [InlineData("text/*")]
    [InlineData("application/json;odata.metadata=bogus")]
    [InlineData("application/json;odata.metadata=")]
    [InlineData("application/json;odata=verbose")]
    [InlineData("application/json;odata.streaming=maybe")]
    [InlineData("application/json;foo=bar")]
    [InlineData("application/json;odata.metadata=none;odata.metadata=full")]
    [InlineData("application/json;q=0")]
    [InlineData("*/*;q=0")]
    public void Accept_that_admits_no_json_odata_can_write_is_not_acceptable(string accept)
    {
        Assert.False(AcceptHeader.TryNegotiate(accept, out _, out var problem));

        Assert.Equal("A supported MIME type could not be found that matches the acceptable MIME types for the request. " +
                     $"The supported type(s) '{AcceptHeader.Supported}' do not match any of the acceptable MIME types '{accept}'.", problem);
    }

    [Theory]
    [InlineData("garbage", "The MIME type 'garbage' is invalid or unspecified.")]
    [InlineData("application/json;odata.metadata", "The MIME type 'application/json;odata.metadata' is invalid or unspecified.")]
    [InlineData("application/json;;odata.metadata=none", "The MIME type 'application/json;;odata.metadata=none' is invalid or unspecified.")]
    [InlineData("application/json;odata.metadata=none,garbage", "The MIME type 'garbage' is invalid or unspecified.")]
    [InlineData("application/json;q=abc", "An invalid quality value was detected in the header string 'abc'.")]
    [InlineData("application/json;q=2", "An invalid quality value was detected in the header string '2'.")]
    public void A_malformed_media_range_refuses_the_header_with_odatalibs_reason(string accept, string reason)
    {
        Assert.False(AcceptHeader.TryNegotiate(accept, out _, out var problem));

        Assert.Equal(reason, problem);
    }

    [Fact]
    public void Empty_list_elements_are_ignored() =>
        Assert.Equal(MetadataLevel.None, LevelOf(",, application/json;odata.metadata=none ,"));

    [Fact]
    public void Negotiate_refuses_with_a_406()
    {
        var refusal = Assert.Throws<ChannelAccounts.Server.WebApi.Errors.WebApiException>(() => AcceptHeader.Negotiate("application/xml"));

        Assert.Equal(406, refusal.StatusCode);
        Assert.Equal(0, refusal.ErrorCode);
    }

    [Fact]
    public void An_error_body_takes_the_level_asked_for_or_minimal_when_nothing_fits()
    {
        Assert.Equal(MetadataLevel.None, AcceptHeader.LevelOrMinimal("application/json;odata.metadata=none"));
        Assert.Equal(MetadataLevel.Minimal, AcceptHeader.LevelOrMinimal("application/xml"));
    }

    [Theory]
    [InlineData(MetadataLevel.Minimal, "application/json; odata.metadata=minimal")]
    [InlineData(MetadataLevel.Full, "application/json; odata.metadata=full")]
    [InlineData(MetadataLevel.None, "application/json; odata.metadata=none")]
    public void The_content_type_names_the_level_in_dataverses_spelling(MetadataLevel level, string contentType) =>
        Assert.Equal(contentType, level.ContentType());
}
