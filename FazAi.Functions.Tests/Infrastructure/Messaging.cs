using System.Net;
using System.Text.Json.Nodes;
using FazAi.Functions.Logins;
using FazAi.Functions.Messages;

namespace FazAi.Functions.Tests.Infrastructure;

/// <summary>The steps around groups and messages that many tests need before the part they are about.</summary>
public static class Messaging
{
    /// <summary>The sample account: its login, its groups and two messages, as in the seed API document.</summary>
    public static JsonObject Fixture { get; } = JsonNode.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "account.json")))!.AsObject();

    public static JsonArray FixtureGroups => Fixture["saveGroup"]!["groups"]!.AsArray();

    public static object Group(string name, string sign) => new { groupname = name, groupsign = sign };

    public static async Task<Reply> SaveGroupsAsync(
        this HttpClient client, string wxuin, IEnumerable<object> groups, string wxname = "小奇")
    {
        var reply = await client.PostJsonAsync("/wx/save/group", new { wxuin, wxname, groups });
        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        return reply;
    }

    public static Task<Reply> SendMessageAsync(this HttpClient client, string token, object body) =>
        client.PostJsonAsync("/user/message/send", body, token);

    /// <summary>A scheduled text message to one group; returns its <c>_id</c>.</summary>
    public static async Task<string> ScheduleAsync(
        this HttpClient client, string token, string wxuin, string sign, DateTimeOffset sendTime, string content = "hi")
    {
        var reply = await client.SendMessageAsync(token, new
        {
            wxuin,
            wxname = "小奇",
            sendTime = sendTime.ToUnixTimeMilliseconds(),
            targetGroup = new[] { new { sign } },
            type = "text",
            content,
        });
        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        return reply.Text("_id");
    }

    public static Task<Reply> ShowAsync(this HttpClient client, string token, string wxuin, string status) =>
        client.GetReplyAsync(Wire.Query("/user/message/show", ("wxuin", wxuin), ("status", status)), token);

    public static Task<Reply> LeaseAsync(this HttpClient client, string wxuin) =>
        client.GetReplyAsync(Wire.Query("/wx/message", ("wxuin", wxuin)));

    public static Task<Reply> AckAsync(this HttpClient client, string id, string result, string? error = null) =>
        client.PostJsonAsync(
            "/wx/message/ack", error is null ? new { _id = id, result } : new { _id = id, result, error });

    public static async Task<Reply> DeleteMessageAsync(
        this HttpClient client, string token, string wxuin, string id, string method = "DELETE")
    {
        var path = Wire.Query("/user/message/delete", ("wxuin", wxuin), ("_id", id));
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        return await Wire.SendAsync(client, request, token);
    }

    public static IEnumerable<string> Ids(this Reply reply) => reply.Array.Select(m => m!["_id"]!.GetValue<string>());

    /// <summary>Scheduled messages written through the store, many at once, for tests about what follows.</summary>
    public static async Task<List<string>> SeedAsync(
        this TestApp app, string wxuin, string sign, int count, Func<int, DateTimeOffset> sendTime)
    {
        var store = app.Get<MessageStore>();
        var account = new Account(wxuin, "小奇", FazAi.Functions.Http.Ids.New());
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancel) =>
            {
                var input = new MessageInput(
                    null, MessageStatus.Scheduled, "小奇", $"theme {i}", [new TargetInput(null, sign)],
                    MessageType.Text, $"message {i}", [], sendTime(i));
                ids.Add((await store.SaveAsync(account, input, cancel)).Id);
            });
        return [.. ids];
    }
}
