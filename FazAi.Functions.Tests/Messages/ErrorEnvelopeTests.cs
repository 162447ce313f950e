using Azure.Data.Tables;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Messages;

/// <summary>
/// Every kind of refusal of the group, message and outbox endpoints, each answered with the envelope: the status
/// and code of the contract's table, a sentence in <c>info</c>, <c>value</c> null, and nothing changed.
/// </summary>
public sealed class ErrorEnvelopeTests : AppTests
{
    private const string Mine = "207364874";
    private const string Theirs = "31415926";

    private readonly Dictionary<string, string> _values = [];

    protected override async Task ArrangeAsync()
    {
        await Client.SaveGroupsAsync(Mine, [Messaging.Group("g", "@@g")]);
        var now = App.Clock.Now;
        _values["{mine}"] = await Client.LogInAsync(Mine);
        _values["{theirs}"] = await Client.LogInAsync(Theirs);
        var token = _values["{mine}"];
        _values["{sent}"] = await Client.ScheduleAsync(token, Mine, "@@g", now - TimeSpan.FromMinutes(2));
        _values["{sending}"] = await Client.ScheduleAsync(token, Mine, "@@g", now - TimeSpan.FromMinutes(1));
        await Client.LeaseAsync(Mine);
        await Client.AckAsync(_values["{sent}"], "send");
        _values["{wait}"] = await Client.ScheduleAsync(token, Mine, "@@g", now + TimeSpan.FromHours(1));
        _values["{unknown}"] = _values["{wait}"][..4] + "00000000000000000000";
    }

    public static TheoryData<string, string, string, string, int> Refusals => new()
    {
        // method, path with query, token ({mine}, {theirs}, none, or a literal), expected status
        { "GET", "/user/groups?wxuin=207364874", "none", "", 401 },
        { "GET", "/user/groups?wxuin=207364874", "587c8307611ff013701310ee", "", 401 },
        { "GET", "/user/groups?wxuin=207364874", "{theirs}", "", 403 },
        { "GET", "/user/groups", "{mine}", "", 400 },
        { "POST", "/user/message/send", "none", """{"wxuin":"207364874","status":"edit"}""", 401 },
        { "POST", "/user/message/send", "{theirs}", """{"wxuin":"207364874","status":"edit"}""", 403 },
        { "POST", "/user/message/send", "{mine}", """{"status":"edit"}""", 400 },
        { "POST", "/user/message/send", "{mine}", """{"wxuin":"207364874"}""", 400 },
        { "POST", "/user/message/send", "{mine}", "{\"wxuin\":", 400 },
        { "POST", "/user/message/send", "{mine}", """{"wxuin":"207364874","status":"edit","_id":"{unknown}"}""", 404 },
        { "POST", "/user/message/send", "{mine}", """{"wxuin":"207364874","status":"edit","_id":"{sending}"}""", 409 },
        { "POST", "/user/message/send", "{mine}", """{"wxuin":"207364874","status":"edit","_id":"{sent}"}""", 409 },
        { "GET", "/user/message/show?wxuin=207364874&status=wait", "none", "", 401 },
        { "GET", "/user/message/show?wxuin=207364874&status=wait", "{theirs}", "", 403 },
        { "GET", "/user/message/show?wxuin=207364874", "{mine}", "", 400 },
        { "DELETE", "/user/message/delete?wxuin=207364874&_id={wait}", "none", "", 401 },
        { "DELETE", "/user/message/delete?wxuin=207364874&_id={wait}", "{theirs}", "", 403 },
        { "DELETE", "/user/message/delete?wxuin=207364874", "{mine}", "", 400 },
        { "DELETE", "/user/message/delete?wxuin=207364874&_id=xyz", "{mine}", "", 400 },
        { "DELETE", "/user/message/delete?wxuin=207364874&_id={unknown}", "{mine}", "", 404 },
        { "POST", "/user/message/delete?wxuin=207364874&_id={sending}", "{mine}", "", 409 },
        { "GET", "/wx/message", "none", "", 400 },
        { "POST", "/wx/message/ack", "none", """{"result":"send"}""", 400 },
        { "POST", "/wx/message/ack", "none", """{"_id":"{unknown}","result":"send"}""", 404 },
        { "POST", "/wx/message/ack", "none", """{"_id":"{wait}","result":"send"}""", 409 },
        { "POST", "/wx/message/ack", "none", """{"_id":"{sent}","result":"failed"}""", 409 },
        { "POST", "/wx/save/group", "none", """{"wxuin":"207364874","wxname":"n"}""", 400 },
        { "POST", "/wx/save/group", "none", """{"wxuin":"207364874","wxname":"n","groups":[{}]}""", 400 },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_call_answers_the_envelope_with_value_null_and_changes_nothing(
        string method, string path, string token, string body, int status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Fill(path));
        if (body.Length > 0)
        {
            request.Content = new StringContent(Fill(body), System.Text.Encoding.UTF8, "application/json");
        }

        var before = await SnapshotAsync();

        var reply = await Wire.SendAsync(Client, request, token == "none" ? null : Fill(token));

        var code = status switch { 400 => 1, 401 or 403 => 3, 404 => 6, _ => 7 };
        Assert.True(((int)reply.Status, reply.Code) == (status, code), reply.ToString());
        Assert.Null(reply.Value);
        Assert.Equal("application/json; charset=utf-8", reply.ContentType);
        Assert.False(string.IsNullOrWhiteSpace(reply.Info));
        Assert.DoesNotContain("Exception", reply.Info);
        Assert.Equal(before, await SnapshotAsync());
    }

    private string Fill(string text) =>
        _values.Aggregate(text, (filled, value) => filled.Replace(value.Key, value.Value));

    /// <summary>Every row of the messages and groups tables with its ETag, which any write changes.</summary>
    private async Task<string> SnapshotAsync()
    {
        var rows = new List<string>();
        foreach (var table in new[] { App.Storage.Messages, App.Storage.Groups })
        {
            await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            {
                rows.Add($"{row.PartitionKey} {row.RowKey} {row.ETag}");
            }
        }

        return string.Join("\n", rows);
    }
}
