using ChannelAccounts.Server.WebApi.Edm;
using Microsoft.OData.Edm;

namespace ChannelAccounts.Server.Tests.WebApi.Edm;

public sealed class BulkOperationDeclarationsTests
{
    private const string Ns = "Microsoft.Dynamics.CRM.";
    private static readonly IEdmModel Model = EdmModelBuilder.Default;

    [Theory]
    [InlineData("CreateMultiple", "Microsoft.Dynamics.CRM.CreateMultipleResponse")]
    [InlineData("UpdateMultiple", null)]
    [InlineData("UpsertMultiple", null)]
    public void The_bulk_actions_are_bound_to_the_accounts_collection_and_take_Targets(string name, string? returnType)
    {
        var action = Assert.Single(Model.FindDeclaredOperations(Ns + name).OfType<IEdmAction>());

        Assert.True(action.IsBound);
        var binding = action.Parameters.First().Type;
        Assert.True(binding.IsCollection());
        Assert.Equal(Ns + "msdyn_ocwhatsappchannelaccount", binding.AsCollection().ElementType().FullName());
        Assert.Equal("Collection(Microsoft.Dynamics.CRM.crmbaseentity)", action.FindParameter("Targets").Type.FullName());
        Assert.Equal(returnType, action.GetReturn()?.Type.FullName());
    }

    [Fact]
    public void IsValidStateTransition_is_an_unbound_function_import_returning_IsValid()
    {
        var function = Assert.Single(Model.FindDeclaredOperations(Ns + "IsValidStateTransition").OfType<IEdmFunction>());

        Assert.False(function.IsBound);
        Assert.Equal(["Entity", "NewState", "NewStatus"], function.Parameters.Select(p => p.Name));
        Assert.Equal(["Edm.String", "Edm.Int32"], function.Parameters.Skip(1).Select(p => p.Type.FullName()));
        Assert.Equal("IsValid", Assert.Single(function.GetReturn().Type.AsComplex().StructuralProperties()).Name);
        Assert.NotNull(Model.EntityContainer.FindOperationImports("IsValidStateTransition").SingleOrDefault());
    }
}
