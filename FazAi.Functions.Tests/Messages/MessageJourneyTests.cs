using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Messages;

/// <summary>The person's and the window's journeys through groups and messages, over HTTP, on real Azurite.</summary>
public sealed partial class MessageJourneyTests : AppTests
{
    private const string Wxuin = "207364874";

    private DateTimeOffset Now => App.Clock.Now;

    [Fact]
    public async Task Person_logs_in_lists_groups_schedules_drafts_updates_shows_and_deletes()
    {
        var chats = Messaging.Fixture["loginsync"]!["chatGroup"]!.AsArray();
        var token = await Client.LogInAsync(Wxuin, "小奇", [.. chats.Select(c => (object)c!.DeepClone())]);

        var groups = await Client.GetReplyAsync(Wire.Query("/user/groups", ("wxuin", Wxuin)), token);
        Assert.Equal(
            chats.Select(c => c!["groupsign"]!.GetValue<string>()).Order(StringComparer.Ordinal),
            groups.Array.Select(g => g!["groupsign"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var sign = chats[0]!["groupsign"]!.GetValue<string>();

        var scheduled = await Client.SendMessageAsync(token, Messaging.Fixture["messages"]![0]!.DeepClone());
        Assert.Equal(HttpStatusCode.OK, scheduled.Status);
        Assert.Matches(IdShape(), scheduled.Text("_id"));
        Assert.Equal(("wait", "2017-02-14T06:07:49.129Z"), (scheduled.Text("status"), scheduled.Text("sendTime")));
        Assert.Equal("2026-12-04T08:00:00.000Z", scheduled.Text("createTime"));
        Assert.Equal(
            ["_id", "content", "createTime", "sendTime", "status", "targetGroup", "theme", "type", "wxname", "wxuin"],
            scheduled.Object.Select(p => p.Key).Order(StringComparer.Ordinal));

        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var draft = await Client.SendMessageAsync(
            token, new { wxuin = Wxuin, status = "edit", theme = "以后再说" });
        Assert.Equal(("edit", "以后再说"), (draft.Text("status"), draft.Text("theme")));
        Assert.Null(draft.Object["sendTime"]);
        Assert.Empty(draft.Object["targetGroup"]!.AsArray());

        Assert.Equal([draft.Text("_id")], (await Client.ShowAsync(token, Wxuin, "edit")).Ids());
        Assert.Equal([scheduled.Text("_id")], (await Client.ShowAsync(token, Wxuin, "wait")).Ids());

        var updated = await Client.SendMessageAsync(token, new
        {
            _id = draft.Text("_id"),
            wxuin = Wxuin,
            wxname = "小奇",
            theme = "晚安",
            sendTime = "2023-11-15T06:13:20+08:00",
            targetGroup = new[] { new { sign } },
            type = "text",
            content = "大家晚安 🌙",
        });
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal((draft.Text("_id"), "wait"), (updated.Text("_id"), updated.Text("status")));
        Assert.Equal(draft.Text("createTime"), updated.Text("createTime"));
        Assert.Equal("2023-11-14T22:13:20.000Z", updated.Text("sendTime"));
        Assert.Equal(Text(chats[0]!, "groupname"), Text(updated.Object["targetGroup"]![0]!, "name"));

        var waiting = await Client.ShowAsync(token, Wxuin, "wait");
        Assert.Equal([updated.Text("_id"), scheduled.Text("_id")], waiting.Ids());
        Assert.Equal(updated.Value!.ToJsonString(), waiting.Array[0]!.ToJsonString());
        Assert.Empty((await Client.ShowAsync(token, Wxuin, "edit")).Array);

        var deleted = await Client.DeleteMessageAsync(token, Wxuin, scheduled.Text("_id"));
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal(scheduled.Value!.ToJsonString(), deleted.Value!.ToJsonString());
        Assert.Equal([updated.Text("_id")], (await Client.ShowAsync(token, Wxuin, "wait")).Ids());
    }

    [Fact]
    public async Task Window_saves_groups_leases_the_due_message_only_and_acks_it_sent()
    {
        await Client.SaveGroupsAsync(Wxuin, Messaging.FixtureGroups.Select(g => (object)g!.DeepClone()));
        var token = await Client.LogInAsync(Wxuin);
        var sign = Messaging.FixtureGroups[3]!["groupsign"]!.GetValue<string>();
        var due = await Client.ScheduleAsync(token, Wxuin, sign, Now - TimeSpan.FromMinutes(1), "due now");
        var later = await Client.ScheduleAsync(token, Wxuin, sign, Now + TimeSpan.FromHours(1), "later");

        var leased = await Client.LeaseAsync(Wxuin);
        Assert.Equal(HttpStatusCode.OK, leased.Status);
        var message = Assert.Single(leased.Array)!;
        Assert.Equal(
            (due, "sending", "due now"), (Text(message, "_id"), Text(message, "status"), Text(message, "content")));
        Assert.Equal("O'Brien's 读书会 📚", message["targetGroup"]![0]!["name"]!.GetValue<string>());
        Assert.Empty((await Client.LeaseAsync(Wxuin)).Array);

        App.Clock.Advance(TimeSpan.FromSeconds(30));
        var acked = await Client.AckAsync(due, "send");
        Assert.Equal(("send", "2026-12-04T08:00:30.000Z"), (acked.Text("status"), acked.Text("sentTime")));

        var sent = await Client.ShowAsync(token, Wxuin, "send");
        Assert.Equal(acked.Value!.ToJsonString(), Assert.Single(sent.Array)!.ToJsonString());
        Assert.Equal([later], (await Client.ShowAsync(token, Wxuin, "wait")).Ids());
    }

    [Fact]
    public async Task A_future_message_is_leased_once_its_send_time_comes()
    {
        var token = await ReadyAsync();
        var id = await Client.ScheduleAsync(token, Wxuin, "@@g", Now + TimeSpan.FromMinutes(10));

        Assert.Empty((await Client.LeaseAsync(Wxuin)).Array);
        App.Clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal([id], (await Client.LeaseAsync(Wxuin)).Ids());
    }

    [Fact]
    public async Task A_failed_message_keeps_the_window_reason_and_can_be_rescheduled()
    {
        var token = await ReadyAsync();
        var id = await Client.ScheduleAsync(token, Wxuin, "@@g", Now);
        await Client.LeaseAsync(Wxuin);

        var failed = await Client.AckAsync(id, "failed", "群聊不存在");
        Assert.Equal(("failed", "群聊不存在"), (failed.Text("status"), failed.Text("error")));
        Assert.Equal([id], (await Client.ShowAsync(token, Wxuin, "failed")).Ids());

        var again = await Client.SendMessageAsync(token, new
        {
            _id = id,
            wxuin = Wxuin,
            wxname = "小奇",
            sendTime = Now.ToUnixTimeMilliseconds(),
            targetGroup = new[] { new { sign = "@@g" } },
            type = "text",
            content = "retry",
        });
        Assert.Equal(("wait", "retry"), (again.Text("status"), again.Text("content")));
        Assert.False(again.Object.ContainsKey("error"));
        Assert.Empty((await Client.ShowAsync(token, Wxuin, "failed")).Array);
        Assert.Equal([id], (await Client.LeaseAsync(Wxuin)).Ids());
    }

    [Fact]
    public async Task A_scheduled_message_can_go_back_to_being_a_draft()
    {
        var token = await ReadyAsync();
        var id = await Client.ScheduleAsync(token, Wxuin, "@@g", Now + TimeSpan.FromHours(1));

        var draft = await Client.SendMessageAsync(
            token, new { _id = id, wxuin = Wxuin, status = "edit", content = "wip" });

        Assert.Equal(("edit", "wip"), (draft.Text("status"), draft.Text("content")));
        Assert.Empty((await Client.ShowAsync(token, Wxuin, "wait")).Array);
        App.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Empty((await Client.LeaseAsync(Wxuin)).Array);
    }

    [Fact]
    public async Task Parameters_of_send_come_from_the_query_string_of_a_get_with_targetGroup_json_encoded()
    {
        var token = await ReadyAsync();
        var path = Wire.Query(
            "/user/message/send", ("wxuin", Wxuin), ("wxname", "小奇"), ("sendTime", "1700000000000"),
            ("targetGroup", """[{"name":"g","sign":"@@g"}]"""), ("type", "text"), ("content", "from a GET"));

        var reply = await Client.GetReplyAsync(path, token);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(("from a GET", "2023-11-14T22:13:20.000Z"), (reply.Text("content"), reply.Text("sendTime")));
    }

    [Fact]
    public async Task Delete_also_answers_a_post_with_form_fields()
    {
        var token = await ReadyAsync();
        var id = await Client.ScheduleAsync(token, Wxuin, "@@g", Now);

        var reply = await Client.PostFormAsync("/user/message/delete", [new("wxuin", Wxuin), new("_id", id)], token);

        Assert.Equal((HttpStatusCode.OK, id), (reply.Status, reply.Text("_id")));
        Assert.Empty((await Client.ShowAsync(token, Wxuin, "wait")).Array);
    }

    [Fact]
    public async Task A_sent_message_can_be_deleted_from_the_history()
    {
        var token = await ReadyAsync();
        var id = await Client.ScheduleAsync(token, Wxuin, "@@g", Now);
        await Client.LeaseAsync(Wxuin);
        await Client.AckAsync(id, "send");

        Assert.Equal(HttpStatusCode.OK, (await Client.DeleteMessageAsync(token, Wxuin, id)).Status);
        Assert.Empty((await Client.ShowAsync(token, Wxuin, "send")).Array);
    }

    private async Task<string> ReadyAsync()
    {
        await Client.SaveGroupsAsync(Wxuin, [Messaging.Group("g", "@@g")]);
        return await Client.LogInAsync(Wxuin);
    }

    private static string Text(JsonNode node, string field) => node[field]!.GetValue<string>();

    [GeneratedRegex("^[0-9a-f]{24}$")]
    private static partial Regex IdShape();
}
