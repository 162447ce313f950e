using System.Net;
using Azure.Data.Tables;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Messages;

/// <summary>The window's outbox: leases, their end, acks, and windows racing for one account's messages.</summary>
public sealed class OutboxTests : AppTests
{
    private const string Wxuin = "207364874";
    private const string Sign = "@@4378936aaa9919e588a5cf9518536aa0ad50d427d35d8270405c0053c99c3c78";

    private string _token = null!;

    protected override async Task ArrangeAsync()
    {
        await Client.SaveGroupsAsync(Wxuin, [Messaging.Group("测试群", Sign)]);
        _token = await Client.LogInAsync(Wxuin);
    }

    private DateTimeOffset Now => App.Clock.Now;

    [Fact]
    public async Task Lease_that_ran_out_puts_the_message_back_in_the_outbox()
    {
        var id = await Client.ScheduleAsync(_token, Wxuin, Sign, Now);
        Assert.Equal([id], (await Client.LeaseAsync(Wxuin)).Ids());

        App.Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));
        Assert.Empty((await Client.LeaseAsync(Wxuin)).Array);
        App.Clock.Advance(TimeSpan.FromMilliseconds(1));

        var again = await Client.LeaseAsync(Wxuin);
        Assert.Equal([id], again.Ids());
        Assert.Equal("sending", again.Array[0]!["status"]!.GetValue<string>());
        Assert.Empty((await Client.LeaseAsync(Wxuin)).Array);
        Assert.Equal("send", (await Client.AckAsync(id, "send")).Text("status"));
    }

    [Fact]
    public async Task Lease_time_comes_from_the_setting()
    {
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?> { ["FazAi:LeaseTime"] = "00:00:30" });
        var client = await app.HttpAsync();
        await client.SaveGroupsAsync(Wxuin, [Messaging.Group("g", Sign)]);
        var id = await client.ScheduleAsync(await client.LogInAsync(Wxuin), Wxuin, Sign, app.Clock.Now);
        await client.LeaseAsync(Wxuin);

        app.Clock.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal([id], (await client.LeaseAsync(Wxuin)).Ids());
    }

    [Fact]
    public async Task Acking_twice_with_the_same_result_is_harmless()
    {
        var id = await Client.ScheduleAsync(_token, Wxuin, Sign, Now);
        await Client.LeaseAsync(Wxuin);
        var first = await Client.AckAsync(id, "send");
        App.Clock.Advance(TimeSpan.FromMinutes(1));

        var second = await Client.AckAsync(id, "send");

        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(first.Value!.ToJsonString(), second.Value!.ToJsonString());
        Assert.Single((await Client.ShowAsync(_token, Wxuin, "send")).Array);
    }

    [Fact]
    public async Task Acking_failed_twice_keeps_the_first_reason()
    {
        var id = await Client.ScheduleAsync(_token, Wxuin, Sign, Now);
        await Client.LeaseAsync(Wxuin);
        await Client.AckAsync(id, "failed", "first");

        var second = await Client.AckAsync(id, "failed", "second");

        Assert.Equal((HttpStatusCode.OK, "first"), (second.Status, second.Text("error")));
    }

    [Theory]
    [InlineData("send", "failed")]
    [InlineData("failed", "send")]
    public async Task Acking_with_the_other_result_after_an_ack_is_409_and_changes_nothing(string first, string second)
    {
        var id = await Client.ScheduleAsync(_token, Wxuin, Sign, Now);
        await Client.LeaseAsync(Wxuin);
        var acked = await Client.AckAsync(id, first);

        var reply = await Client.AckAsync(id, second);

        Assert.Equal((HttpStatusCode.Conflict, 7), (reply.Status, reply.Code));
        Assert.Null(reply.Value);
        var listed = await Client.ShowAsync(_token, Wxuin, first);
        Assert.Equal(acked.Value!.ToJsonString(), Assert.Single(listed.Array)!.ToJsonString());
    }

    [Fact]
    public async Task Acking_a_message_that_was_never_leased_is_409()
    {
        var id = await Client.ScheduleAsync(_token, Wxuin, Sign, Now);

        var reply = await Client.AckAsync(id, "send");

        Assert.Equal((HttpStatusCode.Conflict, 7), (reply.Status, reply.Code));
        Assert.Equal([id], (await Client.ShowAsync(_token, Wxuin, "wait")).Ids());
    }

    [Fact]
    public async Task A_leased_message_can_be_neither_changed_nor_deleted_by_the_person()
    {
        var id = await Client.ScheduleAsync(_token, Wxuin, Sign, Now, "original");
        await Client.LeaseAsync(Wxuin);

        var update = await Client.SendMessageAsync(_token, new { _id = id, wxuin = Wxuin, status = "edit" });
        var delete = await Client.DeleteMessageAsync(_token, Wxuin, id);

        Assert.Equal((HttpStatusCode.Conflict, 7), (update.Status, update.Code));
        Assert.Equal((HttpStatusCode.Conflict, 7), (delete.Status, delete.Code));
        var acked = await Client.AckAsync(id, "send");
        Assert.Equal("original", acked.Text("content"));
    }

    [Fact]
    public async Task A_sent_message_cannot_be_changed()
    {
        var id = await Client.ScheduleAsync(_token, Wxuin, Sign, Now);
        await Client.LeaseAsync(Wxuin);
        await Client.AckAsync(id, "send");

        var update = await Client.SendMessageAsync(_token, new { _id = id, wxuin = Wxuin, status = "edit" });

        Assert.Equal((HttpStatusCode.Conflict, 7), (update.Status, update.Code));
        Assert.Single((await Client.ShowAsync(_token, Wxuin, "send")).Array);
    }

    [Fact]
    public async Task Four_windows_leasing_one_outbox_at_once_get_each_due_message_exactly_once()
    {
        var due = await App.SeedAsync(Wxuin, Sign, 60, i => Now - TimeSpan.FromSeconds(i));
        var future = await App.SeedAsync(Wxuin, Sign, 5, i => Now + TimeSpan.FromMinutes(i + 1));

        var replies = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Client.LeaseAsync(Wxuin)));

        var leased = replies.SelectMany(reply => reply.Ids()).ToList();
        Assert.Equal(leased.Count, leased.Distinct().Count());
        Assert.Equal(due.Order(), leased.Order());
        Assert.Empty((await Client.LeaseAsync(Wxuin)).Array);
        Assert.Equal(future.Order(), (await Client.ShowAsync(_token, Wxuin, "wait")).Ids().Order());
        Assert.Equal(60, await IndexRowsAsync("|sending|"));
    }

    [Fact]
    public async Task One_call_leases_at_most_100_messages_and_the_next_call_the_rest()
    {
        var due = await App.SeedAsync(Wxuin, Sign, 130, i => Now - TimeSpan.FromMinutes(i));
        App.Requests.Reset();

        var first = await Client.LeaseAsync(Wxuin);

        Assert.Equal(100, first.Array.Count);
        Assert.Equal(2 + 4, App.Requests.Count);
        var second = await Client.LeaseAsync(Wxuin);
        Assert.Equal(30, second.Array.Count);
        Assert.Equal(due.Order(), first.Ids().Concat(second.Ids()).Order());
    }

    [Fact]
    public async Task Leased_messages_come_longest_waiting_first()
    {
        var older = await Client.ScheduleAsync(_token, Wxuin, Sign, Now - TimeSpan.FromHours(1));
        var newer = await Client.ScheduleAsync(_token, Wxuin, Sign, Now - TimeSpan.FromMinutes(1));
        var oldest = await Client.ScheduleAsync(_token, Wxuin, Sign, Now - TimeSpan.FromDays(1));

        Assert.Equal([oldest, older, newer], (await Client.LeaseAsync(Wxuin)).Ids());
    }

    [Fact]
    public async Task The_outbox_of_one_account_never_holds_another_accounts_messages()
    {
        await Client.SaveGroupsAsync("other", [Messaging.Group("g", Sign)]);
        await Client.ScheduleAsync(await Client.LogInAsync("other"), "other", Sign, Now);

        Assert.Empty((await Client.LeaseAsync(Wxuin)).Array);
        Assert.Single((await Client.LeaseAsync("other")).Array);
    }

    [Theory]
    [InlineData("/wx/message", HttpStatusCode.BadRequest, "wxuin")]
    [InlineData("/wx/message?wxuin=", HttpStatusCode.BadRequest, "wxuin")]
    [InlineData("/wx/message?wxuin=a%09b", HttpStatusCode.BadRequest, "wxuin")]
    public async Task Lease_without_a_valid_wxuin_is_400(string path, HttpStatusCode status, string parameter)
    {
        var reply = await Client.GetReplyAsync(path);

        Assert.Equal((status, 1), (reply.Status, reply.Code));
        Assert.Contains(parameter, reply.Info);
        Assert.Null(reply.Value);
    }

    public static TheoryData<string, string> BadAcks => new()
    {
        { "{}", "_id" },
        { """{"result":"send"}""", "_id" },
        { """{"_id":"587c8307611ff013701310e","result":"send"}""", "_id" },
        { """{"_id":"587c8307611ff013701310ee"}""", "result" },
        { """{"_id":"587c8307611ff013701310ee","result":"sent"}""", "result" },
        { """{"_id":"587c8307611ff013701310ee","result":"wait"}""", "result" },
        { """{"_id":"587c8307611ff013701310ee","result":"failed","error":42}""", "error" },
    };

    [Theory]
    [MemberData(nameof(BadAcks))]
    public async Task Ack_with_a_bad_parameter_is_400_naming_it(string body, string parameter)
    {
        var reply = await Client.PostRawAsync("/wx/message/ack", body, "application/json");

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        Assert.Contains(parameter, reply.Info);
        Assert.Null(reply.Value);
    }

    [Fact]
    public async Task Ack_with_an_error_over_1000_characters_is_400_and_changes_nothing()
    {
        var id = await Client.ScheduleAsync(_token, Wxuin, Sign, Now);
        await Client.LeaseAsync(Wxuin);

        var reply = await Client.AckAsync(id, "failed", new string('x', 1001));

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        Assert.Contains("error", reply.Info);
        Assert.Equal(1, await IndexRowsAsync("|sending|"));
    }

    [Fact]
    public async Task Ack_of_an_unknown_id_is_404()
    {
        var reply = await Client.AckAsync("587c8307611ff013701310ee", "send");

        Assert.Equal((HttpStatusCode.NotFound, 6), (reply.Status, reply.Code));
        Assert.Null(reply.Value);
    }

    private async Task<int> IndexRowsAsync(string marker)
    {
        var count = 0;
        await foreach (var row in App.Storage.Messages.QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            count += row.RowKey.Contains(marker, StringComparison.Ordinal) ? 1 : 0;
        }

        return count;
    }
}
