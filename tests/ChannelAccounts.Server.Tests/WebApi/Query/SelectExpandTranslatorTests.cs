using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Query;
using static ChannelAccounts.Server.Tests.WebApi.Query.Queries;

namespace ChannelAccounts.Server.Tests.WebApi.Query;

public sealed class SelectExpandTranslatorTests
{
    [Fact]
    public void Without_select_all_columns_are_returned()
    {
        var result = Translate(new());
        Assert.True(result.Query.ColumnSet.AllColumns);
        Assert.Empty(result.SelectedProperties);
        Assert.Null(result.ContextProjection());
        Assert.Equal("msdyn_ocwhatsappchannelaccount", result.Query.EntityName);
    }

    [Fact]
    public void Select_lists_the_columns_and_always_the_primary_id()
    {
        var result = Translate(new(Select: "msdyn_name,statecode"));
        Assert.False(result.Query.ColumnSet.AllColumns);
        Assert.Equal(["msdyn_ocwhatsappchannelaccountid", "msdyn_name", "statecode"], result.Query.ColumnSet.Columns);
        Assert.Equal(["msdyn_name", "statecode"], result.SelectedProperties);
        Assert.Equal("msdyn_name,statecode", result.ContextProjection());
    }

    [Fact]
    public void Selecting_a_lookup_value_property_selects_the_lookup_column()
    {
        var result = Translate(new(Select: "_ownerid_value,_createdby_value"));
        Assert.Equal(["msdyn_ocwhatsappchannelaccountid", "ownerid", "createdby"], result.Query.ColumnSet.Columns);
        Assert.Equal(["_ownerid_value", "_createdby_value"], result.SelectedProperties);
    }

    [Fact]
    public void Select_star_is_all_columns()
    {
        Assert.True(Translate(new(Select: "*")).Query.ColumnSet.AllColumns);
    }

    [Fact]
    public void Expand_with_select_is_a_left_outer_link_from_the_lookup_to_the_target_primary_id()
    {
        var result = Translate(new(Select: "msdyn_name", Expand: "createdby($select=fullname,internalemailaddress)"));
        var link = Assert.Single(result.Query.LinkEntities);
        Assert.Equal("msdyn_ocwhatsappchannelaccount", link.LinkFromEntityName);
        Assert.Equal("createdby", link.LinkFromAttributeName);
        Assert.Equal("systemuser", link.LinkToEntityName);
        Assert.Equal("systemuserid", link.LinkToAttributeName);
        Assert.Equal(JoinOperator.LeftOuter, link.JoinOperator);
        Assert.Equal("createdby", link.EntityAlias);
        Assert.Equal(["systemuserid", "fullname", "internalemailaddress"], link.Columns.Columns);

        var expand = Assert.Single(result.Expands);
        Assert.Equal("createdby", expand.NavigationProperty);
        Assert.Equal("createdby", expand.LookupColumn);
        Assert.Equal(["fullname", "internalemailaddress"], expand.SelectedProperties);
        var target = Assert.Single(expand.Targets);
        Assert.Equal(("createdby", "systemuser"), (target.EntityAlias, target.EntityName));
        Assert.Equal("msdyn_name,createdby,createdby(fullname,internalemailaddress)", result.ContextProjection());
    }

    [Fact]
    public void Expand_without_select_links_every_readable_column_of_the_target()
    {
        var result = Translate(new(Expand: "owningbusinessunit"));
        Assert.True(result.Query.ColumnSet.AllColumns);
        var link = Assert.Single(result.Query.LinkEntities);
        Assert.Equal("businessunit", link.LinkToEntityName);
        Assert.Equal("businessunitid", link.Columns.Columns[0]);
        Assert.Contains("name", link.Columns.Columns);
        Assert.Contains("parentbusinessunitid", link.Columns.Columns);
        Assert.Equal("owningbusinessunit()", result.ContextProjection());
    }

    [Theory]
    [InlineData("createdby", "systemuser")]
    [InlineData("modifiedby", "systemuser")]
    [InlineData("createdonbehalfby", "systemuser")]
    [InlineData("modifiedonbehalfby", "systemuser")]
    [InlineData("owninguser", "systemuser")]
    [InlineData("owningteam", "team")]
    [InlineData("owningbusinessunit", "businessunit")]
    public void Every_single_valued_navigation_of_the_table_can_be_expanded(string navigation, string target)
    {
        var link = Assert.Single(Translate(new(Expand: navigation)).Query.LinkEntities);
        Assert.Equal((navigation, target, navigation), (link.LinkFromAttributeName, link.LinkToEntityName, link.EntityAlias));
    }

    [Fact]
    public void Expanding_ownerid_links_both_systemuser_and_team()
    {
        var result = Translate(new(Expand: "ownerid($select=ownerid)"));
        Assert.Collection(result.Query.LinkEntities,
            user => Assert.Equal(("ownerid", "systemuser", "systemuserid", "ownerid_systemuser"),
                (user.LinkFromAttributeName, user.LinkToEntityName, user.LinkToAttributeName, user.EntityAlias)),
            team => Assert.Equal(("ownerid", "team", "teamid", "ownerid_team"),
                (team.LinkFromAttributeName, team.LinkToEntityName, team.LinkToAttributeName, team.EntityAlias)));
        Assert.Equal(["systemuserid"], result.Query.LinkEntities[0].Columns.Columns);
        Assert.Equal(["teamid"], result.Query.LinkEntities[1].Columns.Columns);
        var expand = Assert.Single(result.Expands);
        Assert.Equal(["ownerid_systemuser", "ownerid_team"], expand.Targets.Select(t => t.EntityAlias));
    }

    [Fact]
    public void Several_expands_each_get_a_link()
    {
        var result = Translate(new(Expand: "createdby($select=fullname),owningteam($select=name)"));
        Assert.Equal(["createdby", "owningteam"], result.Query.LinkEntities.Select(l => l.EntityAlias));
    }

    [Theory]
    [InlineData("createdby($top=1)")]
    [InlineData("createdby($filter=fullname eq 'a')")]
    [InlineData("createdby($orderby=fullname)")]
    [InlineData("createdby($select=fullname;$expand=businessunitid($top=1))")]
    public void Options_other_than_select_and_expand_inside_an_expand_are_refused(string expand)
    {
        var fault = Fault(new(Expand: expand), ErrorCodes.InvalidExpand); // Dataverse's code for an $expand its rules refuse
        Assert.Matches("^Only \\$select and \\$expand are supported inside \\$expand of the single-valued navigation property '(createdby|businessunitid)'\\.$", fault.Message);
    }

    [Fact]
    public void A_nested_expand_becomes_a_link_inside_its_parents_link_and_part_of_the_context()
    {
        var result = Translate(new(Select: "msdyn_name", Expand: "createdby($select=fullname;$expand=businessunitid($select=name;$expand=parentbusinessunitid($select=name)))"));

        var creator = Assert.Single(result.Query.LinkEntities);
        Assert.Equal(("createdby", "systemuser", "createdby"), (creator.EntityAlias, creator.LinkToEntityName, creator.LinkFromAttributeName));
        var unit = Assert.Single(creator.LinkEntities);
        Assert.Equal(("createdby_businessunitid", "systemuser", "businessunit", "businessunitid", "businessunitid"),
            (unit.EntityAlias, unit.LinkFromEntityName, unit.LinkToEntityName, unit.LinkFromAttributeName, unit.LinkToAttributeName));
        Assert.Equal(["businessunitid", "name"], unit.Columns.Columns);
        var parent = Assert.Single(unit.LinkEntities);
        Assert.Equal(("createdby_businessunitid_parentbusinessunitid", "parentbusinessunitid"), (parent.EntityAlias, parent.LinkFromAttributeName));
        Assert.Equal("msdyn_name,createdby,createdby(fullname,businessunitid(name,parentbusinessunitid(name)))", result.ContextProjection());
    }

    [Theory]
    [InlineData("*")]
    [InlineData("owninguser($expand=*)")]
    [InlineData("owninguser($select=fullname;$expand= *)")]
    public void Expanding_everything_is_refused_saying_so_at_any_depth(string expand)
    {
        Assert.StartsWith("$expand=* is not supported", Fault(new(Expand: expand)).Message);
    }

    [Fact]
    public void Expanding_a_lookups_reference_reads_the_lookup_itself_and_links_nothing()
    {
        var result = Translate(new(Select: "msdyn_name", Expand: "createdby/$ref"));

        Assert.Empty(result.Query.LinkEntities);
        Assert.Contains("createdby", result.Query.ColumnSet.Columns);
        var expand = Assert.Single(result.Expands);
        Assert.True(expand.AsReference);
        Assert.Equal("msdyn_name,createdby,createdby/$ref()", result.ContextProjection());
    }

    [Fact]
    public void Expanding_a_collections_reference_is_Dataverses_error()
    {
        var fault = Fault(new(Expand: "ca_msdyn_ocwhatsappchannelaccount_ca_whatsappmessage/$ref"), ErrorCodes.InvalidExpand);
        Assert.StartsWith("Expand with $ref is only supported on lookup type navigation property.", fault.Message);
    }

    [Fact]
    public void An_unknown_property_in_a_nested_select_is_the_parser_error()
    {
        Assert.Equal("Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.systemuser'.",
            Fault(new(Expand: "createdby($select=nosuch)")).Message);
    }
}
