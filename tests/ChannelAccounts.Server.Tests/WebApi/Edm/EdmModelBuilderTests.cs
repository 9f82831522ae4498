using ChannelAccounts.Server.WebApi.Edm;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Validation;

namespace ChannelAccounts.Server.Tests.WebApi.Edm;

public sealed class EdmModelBuilderTests
{
    private const string Ns = "Microsoft.Dynamics.CRM.";
    private static readonly IEdmModel Model = EdmModelBuilder.Default;

    private static IEdmEntityType Type(string name) => (IEdmEntityType)Model.FindDeclaredType(Ns + name);

    [Fact]
    public void The_model_validates_but_for_the_keys_systemuser_and_team_redeclare_as_in_Dataverses_CSDL()
    {
        Model.Validate(out var errors);

        Assert.Equal(["systemuser", "team"], errors.Select(e => (e.ErrorCode, e.ErrorMessage))
            .Select(e => e.ErrorCode == EdmErrorCode.InvalidKey && e.ErrorMessage.Contains("base classes 'principal' defines keys", StringComparison.Ordinal)
                ? e.ErrorMessage.Split('\'')[1]
                : $"unexpected: {e.ErrorCode} {e.ErrorMessage}")
            .Order());
    }

    [Fact]
    public void Principal_is_keyed_on_ownerid_and_systemusers_and_teams_keep_their_own_ids()
    {
        Assert.Equal("ownerid", Assert.Single(Type("principal").DeclaredKey).Name);
        Assert.Equal("systemuserid", Assert.Single(Type("systemuser").Key()).Name);
        Assert.Equal("teamid", Assert.Single(Type("team").Key()).Name);
    }

    [Fact]
    public void The_model_is_built_once()
    {
        Assert.Same(EdmModelBuilder.Default, EdmModelBuilder.Default);
    }

    [Fact]
    public void Crmbaseentity_and_principal_are_abstract_and_principal_derives_from_crmbaseentity()
    {
        var crmBase = Type("crmbaseentity");
        var principal = Type("principal");
        Assert.True(crmBase.IsAbstract);
        Assert.True(principal.IsAbstract);
        Assert.Same(crmBase, principal.BaseEntityType());
        Assert.Equal(EdmPrimitiveTypeKind.Guid, principal.FindProperty("ownerid").Type.AsPrimitive().PrimitiveKind());
    }

    [Theory]
    [InlineData("msdyn_ocwhatsappchannelaccount", "crmbaseentity", "msdyn_ocwhatsappchannelaccountid")]
    [InlineData("businessunit", "crmbaseentity", "businessunitid")]
    [InlineData("organization", "crmbaseentity", "organizationid")]
    [InlineData("systemuser", "principal", "systemuserid")]
    [InlineData("team", "principal", "teamid")]
    public void Every_table_is_an_entity_type_keyed_by_its_primary_id(string table, string baseType, string key)
    {
        var type = Type(table);
        Assert.Equal(Ns + baseType, type.BaseEntityType().FullName());
        var keyProperty = Assert.Single(type.Key());
        Assert.Equal(key, keyProperty.Name);
        Assert.False(keyProperty.Type.IsNullable);
    }

    [Theory]
    [InlineData("msdyn_name", EdmPrimitiveTypeKind.String)]
    [InlineData("msdyn_ocwhatsappchannelaccountid", EdmPrimitiveTypeKind.Guid)]
    [InlineData("statecode", EdmPrimitiveTypeKind.Int32)]
    [InlineData("statuscode", EdmPrimitiveTypeKind.Int32)]
    [InlineData("importsequencenumber", EdmPrimitiveTypeKind.Int32)]
    [InlineData("versionnumber", EdmPrimitiveTypeKind.Int64)]
    [InlineData("createdon", EdmPrimitiveTypeKind.DateTimeOffset)]
    [InlineData("overriddencreatedon", EdmPrimitiveTypeKind.DateTimeOffset)]
    [InlineData("_ownerid_value", EdmPrimitiveTypeKind.Guid)]
    [InlineData("_createdby_value", EdmPrimitiveTypeKind.Guid)]
    [InlineData("_owningbusinessunit_value", EdmPrimitiveTypeKind.Guid)]
    public void Columns_have_the_edm_types_of_the_dataverse_type_map(string property, EdmPrimitiveTypeKind kind)
    {
        var declared = Type("msdyn_ocwhatsappchannelaccount").FindProperty(property);
        Assert.NotNull(declared);
        Assert.Equal(kind, declared.Type.AsPrimitive().PrimitiveKind());
    }

    [Fact]
    public void A_boolean_column_is_edm_boolean()
    {
        Assert.Equal(EdmPrimitiveTypeKind.Boolean, Type("systemuser").FindProperty("isdisabled").Type.AsPrimitive().PrimitiveKind());
    }

    [Theory]
    [InlineData("createdbyname")]
    [InlineData("owneridname")]
    [InlineData("owneridyominame")]
    [InlineData("owneridtype")]
    [InlineData("ownerid_value")]
    public void Name_companions_and_owneridtype_are_not_in_the_model(string property)
    {
        Assert.Null(Type("msdyn_ocwhatsappchannelaccount").FindProperty(property));
    }

    [Theory]
    [InlineData("ownerid", "principal", "ownerid")]
    [InlineData("createdby", "systemuser", "systemuserid")]
    [InlineData("modifiedby", "systemuser", "systemuserid")]
    [InlineData("createdonbehalfby", "systemuser", "systemuserid")]
    [InlineData("modifiedonbehalfby", "systemuser", "systemuserid")]
    [InlineData("owninguser", "systemuser", "systemuserid")]
    [InlineData("owningteam", "team", "teamid")]
    [InlineData("owningbusinessunit", "businessunit", "businessunitid")]
    public void A_lookup_is_a_single_valued_navigation_constrained_by_its_value_property(string name, string target, string referenced)
    {
        var navigation = Type("msdyn_ocwhatsappchannelaccount").FindProperty(name) as IEdmNavigationProperty;
        Assert.NotNull(navigation);
        Assert.False(navigation.Type.IsCollection());
        Assert.Equal(Ns + target, navigation.ToEntityType().FullName());
        var pair = Assert.Single(navigation.ReferentialConstraint.PropertyPairs);
        Assert.Equal($"_{name}_value", pair.DependentProperty.Name);
        Assert.Equal(referenced, pair.PrincipalProperty.Name);
    }

    [Fact]
    public void The_value_property_of_a_lookup_is_computed()
    {
        var value = Type("msdyn_ocwhatsappchannelaccount").FindProperty("_ownerid_value");
        var annotation = Model.FindVocabularyAnnotations(value).Single(a => a.Term.Name == "Computed");
        Assert.True(((Microsoft.OData.Edm.Vocabularies.IEdmBooleanConstantExpression)annotation.Value).Value);
    }

    [Fact]
    public void The_container_is_named_System_with_an_entity_set_per_table()
    {
        var container = Model.EntityContainer;
        Assert.Equal(Ns + "System", container.FullName());
        foreach (var set in new[] { "msdyn_ocwhatsappchannelaccounts", "systemusers", "teams", "businessunits", "organizations" })
        {
            Assert.NotNull(container.FindEntitySet(set));
        }
    }

    [Fact]
    public void Navigations_are_bound_to_their_target_set_and_ownerid_is_left_unbound()
    {
        var set = Model.EntityContainer.FindEntitySet("msdyn_ocwhatsappchannelaccounts");
        var type = Type("msdyn_ocwhatsappchannelaccount");
        Assert.Equal("systemusers", set.FindNavigationTarget(type.FindProperty("createdby") as IEdmNavigationProperty).Name);
        Assert.Equal("teams", set.FindNavigationTarget(type.FindProperty("owningteam") as IEdmNavigationProperty).Name);
        Assert.IsNotType<IEdmEntitySet>(set.FindNavigationTarget(type.FindProperty("ownerid") as IEdmNavigationProperty), exactMatch: false);
    }

    [Theory]
    [InlineData("In", "PropertyValues", "Collection(Edm.String)")]
    [InlineData("NotIn", "PropertyValues", "Collection(Edm.String)")]
    [InlineData("Between", "PropertyValues", "Collection(Edm.String)")]
    [InlineData("NotBetween", "PropertyValues", "Collection(Edm.String)")]
    [InlineData("On", "PropertyValue", "Edm.String")]
    [InlineData("OnOrAfter", "PropertyValue", "Edm.String")]
    [InlineData("OnOrBefore", "PropertyValue", "Edm.String")]
    [InlineData("LastXDays", "PropertyValue", "Edm.Int64")]
    [InlineData("NextXDays", "PropertyValue", "Edm.Int64")]
    [InlineData("Today", null, null)]
    [InlineData("Yesterday", null, null)]
    [InlineData("Tomorrow", null, null)]
    [InlineData("Last7Days", null, null)]
    [InlineData("Next7Days", null, null)]
    [InlineData("EqualUserId", null, null)]
    [InlineData("NotEqualUserId", null, null)]
    [InlineData("EqualBusinessId", null, null)]
    [InlineData("NotEqualBusinessId", null, null)]
    public void Query_functions_are_composable_unbound_functions_returning_boolean(string name, string? valueParameter, string? valueType)
    {
        var function = Assert.Single(Model.FindDeclaredOperations(Ns + name).OfType<IEdmFunction>());
        Assert.True(function.IsComposable);
        Assert.False(function.IsBound);
        Assert.True(function.GetReturn().Type.IsBoolean());
        Assert.Equal("Edm.String", function.FindParameter("PropertyName").Type.FullName());
        Assert.Equal(valueParameter is null ? 1 : 2, function.Parameters.Count());
        if (valueParameter is not null)
        {
            Assert.Equal(valueType, function.FindParameter(valueParameter).Type.FullName());
        }
    }

    [Fact]
    public void WhoAmI_is_a_function_import_returning_WhoAmIResponse()
    {
        var import = Assert.Single(Model.EntityContainer.FindOperationImports("WhoAmI"));
        var function = Assert.IsAssignableFrom<IEdmFunction>(import.Operation);
        Assert.False(function.IsBound);
        var response = Assert.IsAssignableFrom<IEdmComplexType>(function.GetReturn().Type.Definition);
        Assert.Equal(Ns + "WhoAmIResponse", response.FullName());
        Assert.Equal(["BusinessUnitId", "UserId", "OrganizationId"], response.DeclaredProperties.Select(p => p.Name));
        Assert.All(response.DeclaredProperties, p => Assert.Equal("Edm.Guid", p.Type.FullName()));
    }
}
