using System.Net;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Messages;

/// <summary>Each call makes only the storage requests its work needs (the contract's storage budget).</summary>
public sealed class StorageBudgetTests : AppTests
{
    private const string Wxuin = "207364874";

    private string _token = null!;

    protected override async Task ArrangeAsync()
    {
        await Client.SaveGroupsAsync(Wxuin, Enumerable.Range(0, 40).Select(i => Messaging.Group($"g{i}", $"@@{i}")));
        _token = await Client.LogInAsync(Wxuin);
    }

    private DateTimeOffset Now => App.Clock.Now;

    [Fact]
    public async Task Creating_a_text_message_is_a_token_read_a_groups_read_and_one_write()
    {
        await AssertRequestsAsync(3, () => Client.ScheduleAsync(_token, Wxuin, "@@1", Now));
    }

    [Fact]
    public async Task Forty_targets_are_one_groups_query_per_fourteen()
    {
        var body = new
        {
            wxuin = Wxuin,
            wxname = "n",
            sendTime = Now.ToUnixTimeMilliseconds(),
            type = "text",
            content = "c",
            targetGroup = Enumerable.Range(0, 40).Select(i => new { sign = $"@@{i}" }),
        };

        // A filter holds at most 15 comparisons: 40 keyed lookups are 3 queries, sent at once.
        await AssertRequestsAsync(1 + 3 + 1, () => Client.SendMessageAsync(_token, body));
    }

    [Fact]
    public async Task Creating_an_image_message_adds_one_materials_read()
    {
        var a = await Client.UploadOkAsync(_token, Wxuin, "image", Uploads.Fixture("sample.jpg"));
        var b = await Client.UploadOkAsync(_token, Wxuin, "image", Uploads.Fixture("sample.png"));
        var body = new
        {
            wxuin = Wxuin,
            wxname = "n",
            sendTime = Now.ToUnixTimeMilliseconds(),
            type = "image",
            content = $"{Wxuin}/image/{a},{Wxuin}/image/{b}",
            targetGroup = new[] { new { sign = "@@1" } },
        };

        await AssertRequestsAsync(4, () => Client.SendMessageAsync(_token, body));
    }

    [Fact]
    public async Task Updating_a_message_adds_one_point_read()
    {
        var id = await Client.ScheduleAsync(_token, Wxuin, "@@1", Now);
        var body = new
        {
            _id = id,
            wxuin = Wxuin,
            wxname = "n",
            sendTime = Now.ToUnixTimeMilliseconds(),
            type = "text",
            content = "changed",
            targetGroup = new[] { new { sign = "@@2" } },
        };

        await AssertRequestsAsync(4, () => Client.SendMessageAsync(_token, body));
    }

    [Fact]
    public async Task A_draft_without_targets_reads_no_groups()
    {
        await AssertRequestsAsync(2, () => Client.SendMessageAsync(_token, new { wxuin = Wxuin, status = "edit" }));
    }

    [Fact]
    public async Task Listing_a_few_messages_is_a_token_read_and_one_query()
    {
        await Client.ScheduleAsync(_token, Wxuin, "@@1", Now);

        await AssertRequestsAsync(2, () => Client.ShowAsync(_token, Wxuin, "wait"));
    }

    [Fact]
    public async Task Listing_groups_is_a_token_read_and_one_query()
    {
        await AssertRequestsAsync(2, () => Client.GetReplyAsync(Wire.Query("/user/groups", ("wxuin", Wxuin)), _token));
    }

    [Fact]
    public async Task Deleting_is_a_token_read_a_point_read_and_one_write()
    {
        var id = await Client.ScheduleAsync(_token, Wxuin, "@@1", Now);

        await AssertRequestsAsync(3, () => Client.DeleteMessageAsync(_token, Wxuin, id));
    }

    [Fact]
    public async Task Leasing_is_two_range_reads_and_one_write_per_33_messages()
    {
        await App.SeedAsync(Wxuin, "@@1", 34, i => Now - TimeSpan.FromSeconds(i));

        await AssertRequestsAsync(2 + 2, () => Client.LeaseAsync(Wxuin));
    }

    [Fact]
    public async Task An_empty_outbox_is_two_range_reads()
    {
        await AssertRequestsAsync(2, () => Client.LeaseAsync(Wxuin));
    }

    [Fact]
    public async Task Acking_is_one_point_read_and_one_write()
    {
        var id = await Client.ScheduleAsync(_token, Wxuin, "@@1", Now);
        await Client.LeaseAsync(Wxuin);

        await AssertRequestsAsync(2, () => Client.AckAsync(id, "send"));
    }

    [Fact]
    public async Task Saving_a_small_group_set_is_one_read_and_one_batch()
    {
        await AssertRequestsAsync(2, () => Client.SaveGroupsAsync(Wxuin, [Messaging.Group("new", "@@new")]));
    }

    private async Task AssertRequestsAsync<T>(int expected, Func<Task<T>> call)
    {
        App.Requests.Reset();

        var result = await call();

        if (result is Reply reply)
        {
            Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        }

        Assert.True(expected == App.Requests.Count, string.Join("\n", App.Requests.Log));
    }
}
