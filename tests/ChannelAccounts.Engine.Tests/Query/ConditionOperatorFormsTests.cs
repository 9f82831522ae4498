using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Tests.Query;

public sealed class ConditionOperatorFormsTests
{
    /// <summary>Code ported from Microsoft.Xrm.Sdk stores and casts these numbers; they must mean the same operator here.</summary>
    [Theory]
    [InlineData(ConditionOperator.LastWeek, 19)]
    [InlineData(ConditionOperator.NextMonth, 24)]
    [InlineData(ConditionOperator.LastYear, 28)]
    [InlineData(ConditionOperator.NextXHours, 32)]
    [InlineData(ConditionOperator.NextXYears, 40)]
    [InlineData(ConditionOperator.NotOn, 52)]
    [InlineData(ConditionOperator.OlderThanXMonths, 53)]
    [InlineData(ConditionOperator.EqualUserTeams, 73)]
    [InlineData(ConditionOperator.EqualUserOrUserTeams, 74)]
    [InlineData(ConditionOperator.OlderThanXYears, 82)]
    [InlineData(ConditionOperator.OlderThanXWeeks, 83)]
    [InlineData(ConditionOperator.OlderThanXDays, 84)]
    [InlineData(ConditionOperator.OlderThanXHours, 85)]
    [InlineData(ConditionOperator.OlderThanXMinutes, 86)]
    public void Operators_carry_the_numbers_of_Microsofts_SDK(ConditionOperator op, int number) => Assert.Equal(number, (int)op);

    [Fact]
    public void Every_FetchXML_name_reads_back_as_its_operator()
    {
        foreach (var op in Enum.GetValues<ConditionOperator>())
        {
            if (ConditionOperatorForms.FetchXmlName(op) is { } name)
            {
                Assert.True(ConditionOperatorForms.TryParseFetchXml(name, out var read), name);
                Assert.Equal(op, read);
            }
        }

        Assert.True(ConditionOperatorForms.TryParseFetchXml("neq", out var older));
        Assert.Equal(ConditionOperator.NotEqual, older);
    }
}
