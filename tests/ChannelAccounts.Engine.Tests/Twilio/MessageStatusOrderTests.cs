using ChannelAccounts.Engine.Twilio;

namespace ChannelAccounts.Engine.Tests.Twilio;

public sealed class MessageStatusOrderTests
{
    [Theory]
    [InlineData(null, "sent", true)]
    [InlineData("sent", "delivered", true)]
    [InlineData("delivered", "read", true)]
    [InlineData("read", "delivered", false)]
    [InlineData("read", "sent", false)]
    [InlineData("delivered", "failed", true)]
    [InlineData("failed", "read", false)]
    [InlineData("undelivered", "failed", false)]
    [InlineData("read", "read", false)]
    [InlineData("sent", "some_new_status", false)]
    [InlineData(null, "some_new_status", true)]
    [InlineData("sent", null, false)]
    public void The_most_advanced_status_wins_and_final_ones_stay(string? current, string? incoming, bool advances) =>
        Assert.Equal(advances, MessageStatusOrder.Advances(current, incoming));
}
