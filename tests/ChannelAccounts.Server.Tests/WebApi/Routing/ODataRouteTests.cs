using ChannelAccounts.Server.WebApi.Edm;
using ChannelAccounts.Server.WebApi.Errors;
using ChannelAccounts.Server.WebApi.Routing;
using Microsoft.OData.UriParser;

namespace ChannelAccounts.Server.Tests.WebApi.Routing;

/// <summary>
/// The shortcuts for the commonest paths (a set alone, a record by id) must name exactly what ODataUriParser names,
/// and leave every other path to it, so its wording of errors stays the one clients see.
/// </summary>
public sealed class ODataRouteTests
{
    private static readonly Uri ServiceRoot = new("http://localhost/api/data/v9.2/");

    [Theory]
    [InlineData("msdyn_ocwhatsappchannelaccounts")]
    [InlineData("systemusers")]
    [InlineData("teams")]
    public void TrySet_names_the_entity_set_ODataUriParser_names(string path)
    {
        var shortcut = ODataRoute.TrySet(EdmModelBuilder.Default, path);
        var parsed = ODataRoute.Parse(EdmModelBuilder.Default, ServiceRoot, path);

        Assert.NotNull(shortcut);
        Assert.Equal(1, shortcut.Count);
        Assert.Same(parsed.Segment<EntitySetSegment>(0)!.EntitySet, shortcut.Segment<EntitySetSegment>(0)!.EntitySet);
    }

    [Theory]
    [InlineData("")]
    [InlineData("WhoAmI")]
    [InlineData("MSDYN_ocwhatsappchannelaccounts")] // Dataverse's paths are case-sensitive: the parser's 404 answers it
    [InlineData("msdyn_ocwhatsappchannelaccounts/$count")]
    [InlineData("msdyn_ocwhatsappchannelaccounts()")]
    [InlineData("msdyn_ocwhatsappchannelaccounts(00000000-0000-0000-0000-000000000001)")]
    [InlineData("msdyn_ocwhatsappchannelaccounts%2F$count")]
    [InlineData("Microsoft.Dynamics.CRM.WhoAmI")]
    [InlineData("nosuchset")]
    public void TrySet_leaves_every_other_path_to_the_parser(string path) =>
        Assert.Null(ODataRoute.TrySet(EdmModelBuilder.Default, path));

    [Fact]
    public void A_path_the_shortcut_leaves_alone_gets_the_parsers_404()
    {
        var fault = Assert.Throws<WebApiException>(() =>
            ODataRoute.TrySet(EdmModelBuilder.Default, "MSDYN_ocwhatsappchannelaccounts")
            ?? ODataRoute.Parse(EdmModelBuilder.Default, ServiceRoot, "MSDYN_ocwhatsappchannelaccounts"));

        Assert.Equal(404, fault.StatusCode);
    }
}
