using System.Net;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Messages;

/// <summary><c>/user/message/show</c>: one status at a time, newest send time first, every page.</summary>
public sealed class MessageListingTests : IAsyncLifetime
{
    private const string Wxuin = "207364874";

    private TestApp _app = null!;
    private HttpClient _client = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync();
        _client = await _app.HttpAsync();
        await _client.SaveGroupsAsync(Wxuin, [Messaging.Group("g", "@@g")]);
        _token = await _client.LogInAsync(Wxuin);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Messages_1005_are_listed_completely_newest_send_time_first_with_one_read_per_1000()
    {
        var start = _app.Clock.Now + TimeSpan.FromDays(1);
        var ids = await _app.SeedAsync(Wxuin, "@@g", 1005, i => start + TimeSpan.FromMinutes(i));
        _app.Requests.Reset();

        var listed = await _client.ShowAsync(_token, Wxuin, "wait");

        Assert.Equal(1 + 2, _app.Requests.Count);
        Assert.Equal(ids.Order(), listed.Ids().Order());
        var times = listed.Array.Select(m => m!["sendTime"]!.GetValue<string>()).ToList();
        Assert.Equal(times.OrderDescending(StringComparer.Ordinal), times);
        Assert.Equal(1005, times.Distinct().Count());
    }

    [Fact]
    public async Task Each_status_lists_only_its_own_messages()
    {
        var now = _app.Clock.Now;
        var sent = await _client.ScheduleAsync(_token, Wxuin, "@@g", now - TimeSpan.FromMinutes(3));
        var failed = await _client.ScheduleAsync(_token, Wxuin, "@@g", now - TimeSpan.FromMinutes(2));
        var leased = await _client.ScheduleAsync(_token, Wxuin, "@@g", now - TimeSpan.FromMinutes(1));
        await _client.LeaseAsync(Wxuin);
        await _client.AckAsync(sent, "send");
        await _client.AckAsync(failed, "failed");
        var waiting = await _client.ScheduleAsync(_token, Wxuin, "@@g", now + TimeSpan.FromHours(1));
        var draft = (await _client.SendMessageAsync(_token, new { wxuin = Wxuin, status = "edit" })).Text("_id");

        Assert.Equal([sent], (await _client.ShowAsync(_token, Wxuin, "send")).Ids());
        Assert.Equal([failed], (await _client.ShowAsync(_token, Wxuin, "failed")).Ids());
        Assert.Equal([waiting], (await _client.ShowAsync(_token, Wxuin, "wait")).Ids());
        Assert.Equal([draft], (await _client.ShowAsync(_token, Wxuin, "edit")).Ids());
        foreach (var status in new[] { "send", "failed", "wait", "edit" })
        {
            Assert.DoesNotContain(leased, (await _client.ShowAsync(_token, Wxuin, status)).Ids());
        }
    }

    [Fact]
    public async Task Drafts_without_a_send_time_are_listed_newest_first_by_creation()
    {
        var first = (await _client.SendMessageAsync(_token, new { wxuin = Wxuin, status = "edit" })).Text("_id");
        _app.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = (await _client.SendMessageAsync(_token, new { wxuin = Wxuin, status = "edit" })).Text("_id");

        Assert.Equal([second, first], (await _client.ShowAsync(_token, Wxuin, "edit")).Ids());
    }

    [Fact]
    public async Task An_empty_listing_is_an_empty_array()
    {
        var reply = await _client.ShowAsync(_token, Wxuin, "send");

        Assert.Equal((HttpStatusCode.OK, 0), (reply.Status, reply.Array.Count));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sending")]
    [InlineData("all")]
    [InlineData("WAIT")]
    public async Task Show_with_a_status_it_cannot_list_is_400(string status)
    {
        var reply = await _client.ShowAsync(_token, Wxuin, status);

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        Assert.Contains("status", reply.Info);
    }
}
