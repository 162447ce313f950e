using System.Net;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Messages;

/// <summary><c>/user/message/show</c>: one status at a time, newest send time first, every page.</summary>
public sealed class MessageListingTests : AppTests
{
    private const string Wxuin = "207364874";

    private string _token = null!;

    protected override async Task ArrangeAsync()
    {
        await Client.SaveGroupsAsync(Wxuin, [Messaging.Group("g", "@@g")]);
        _token = await Client.LogInAsync(Wxuin);
    }

    [Fact]
    public async Task Messages_1005_are_listed_completely_newest_send_time_first_with_one_read_per_1000()
    {
        var start = App.Clock.Now + TimeSpan.FromDays(1);
        var ids = await App.SeedAsync(Wxuin, "@@g", 1005, i => start + TimeSpan.FromMinutes(i));
        App.Requests.Reset();

        var listed = await Client.ShowAsync(_token, Wxuin, "wait");

        Assert.Equal(1 + 2, App.Requests.Count);
        Assert.Equal(ids.Order(), listed.Ids().Order());
        var times = listed.Array.Select(m => m!["sendTime"]!.GetValue<string>()).ToList();
        Assert.Equal(times.OrderDescending(StringComparer.Ordinal), times);
        Assert.Equal(1005, times.Distinct().Count());
    }

    [Fact]
    public async Task Each_status_lists_only_its_own_messages()
    {
        var now = App.Clock.Now;
        var sent = await Client.ScheduleAsync(_token, Wxuin, "@@g", now - TimeSpan.FromMinutes(3));
        var failed = await Client.ScheduleAsync(_token, Wxuin, "@@g", now - TimeSpan.FromMinutes(2));
        var leased = await Client.ScheduleAsync(_token, Wxuin, "@@g", now - TimeSpan.FromMinutes(1));
        await Client.LeaseAsync(Wxuin);
        await Client.AckAsync(sent, "send");
        await Client.AckAsync(failed, "failed");
        var waiting = await Client.ScheduleAsync(_token, Wxuin, "@@g", now + TimeSpan.FromHours(1));
        var draft = (await Client.SendMessageAsync(_token, new { wxuin = Wxuin, status = "edit" })).Text("_id");

        Assert.Equal([sent], (await Client.ShowAsync(_token, Wxuin, "send")).Ids());
        Assert.Equal([failed], (await Client.ShowAsync(_token, Wxuin, "failed")).Ids());
        Assert.Equal([waiting], (await Client.ShowAsync(_token, Wxuin, "wait")).Ids());
        Assert.Equal([draft], (await Client.ShowAsync(_token, Wxuin, "edit")).Ids());
        foreach (var status in new[] { "send", "failed", "wait", "edit" })
        {
            Assert.DoesNotContain(leased, (await Client.ShowAsync(_token, Wxuin, status)).Ids());
        }
    }

    [Fact]
    public async Task Drafts_without_a_send_time_are_listed_newest_first_by_creation()
    {
        var first = (await Client.SendMessageAsync(_token, new { wxuin = Wxuin, status = "edit" })).Text("_id");
        App.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = (await Client.SendMessageAsync(_token, new { wxuin = Wxuin, status = "edit" })).Text("_id");

        Assert.Equal([second, first], (await Client.ShowAsync(_token, Wxuin, "edit")).Ids());
    }

    [Fact]
    public async Task An_empty_listing_is_an_empty_array()
    {
        var reply = await Client.ShowAsync(_token, Wxuin, "send");

        Assert.Equal((HttpStatusCode.OK, 0), (reply.Status, reply.Array.Count));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sending")]
    [InlineData("all")]
    [InlineData("WAIT")]
    public async Task Show_with_a_status_it_cannot_list_is_400(string status)
    {
        var reply = await Client.ShowAsync(_token, Wxuin, status);

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        Assert.Contains("status", reply.Info);
    }
}
