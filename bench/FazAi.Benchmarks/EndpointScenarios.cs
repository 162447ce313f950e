using FazAi.Functions.Messages;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Benchmarks;

/// <summary>The endpoints measured, each paired with the raw storage requests it makes.</summary>
public sealed class EndpointScenarios
{
    public const string WxUin = "207364874";

    private string _token = "";

    public string Token => _token;

    public static async Task<EndpointScenarios> PrepareAsync(HttpClient client)
    {
        var groups = Enumerable.Range(0, 20)
            .Select(i => new { groupname = $"group {i}", groupsign = $"@@{i:D4}" }).ToArray();
        var scenarios = new EndpointScenarios { _token = await client.LogInAsync(WxUin, chatGroup: groups) };
        for (var i = 0; i < 20; i++)
        {
            await scenarios.Call(client, HttpMethod.Post, "/user/message/send", Message(i));
        }

        return scenarios;
    }

    public IEnumerable<(Scenario Baseline, Scenario Endpoint)> Pairs(RawStorage raw, HttpClient http)
    {
        yield return (
            new("raw: login point read", null, _ => raw.ReadLoginAsync()),
            new("GET /wx/status", "raw: login point read",
                _ => Call(http, HttpMethod.Get, $"/wx/status?_id={_token}")));
        yield return (
            new("raw: QR code transaction", null, i => raw.SaveCodeAsync(i)),
            new("POST /wx/savesrc", "raw: QR code transaction", i => Call(http, HttpMethod.Post, "/wx/savesrc",
                $$"""{"src":"https://q.example/b","pgv_si":"bench-{{i}}"}""")));
        yield return (
            new("raw: token read + groups query", null, async _ =>
            {
                await raw.ReadLoginAsync();
                await raw.ListGroupsAsync();
            }),
            new("GET /user/groups", "raw: token read + groups query",
                _ => Call(http, HttpMethod.Get, $"/user/groups?wxuin={WxUin}")));
        yield return (
            new("raw: token read + listing query", null, async _ =>
            {
                await raw.ReadLoginAsync();
                await raw.ListMessagesAsync(MessageStatus.Scheduled);
            }),
            new("GET /user/message/show", "raw: token read + listing query",
                _ => Call(http, HttpMethod.Get, $"/user/message/show?wxuin={WxUin}&status=wait")));
        yield return (
            new("raw: token read + group lookup + transaction", null, async _ =>
            {
                await raw.ReadLoginAsync();
                await raw.FindGroupAsync("@@0001");
                await raw.SaveMessageAsync();
            }),
            new("POST /user/message/send", "raw: token read + group lookup + transaction",
                i => Call(http, HttpMethod.Post, "/user/message/send", Message(i))));
        yield return (
            new("raw: two outbox range queries", null, _ => raw.ReadOutboxAsync(DateTimeOffset.UtcNow)),
            new("GET /wx/message (nothing due)", "raw: two outbox range queries",
                _ => Call(http, HttpMethod.Get, $"/wx/message?wxuin={WxUin}")));
    }

    /// <summary>A text message to one saved group, due far in the future so the outbox never leases it.</summary>
    private static string Message(int i) => System.Text.Json.JsonSerializer.Serialize(new
    {
        wxuin = WxUin,
        wxname = "bench",
        sendTime = "4102444800000",
        type = "text",
        content = $"hello {i}",
        targetGroup = new[] { new { name = "group 1", sign = "@@0001" } },
    });

    private async Task Call(HttpClient http, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("token", _token);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        await response.Content.CopyToAsync(Stream.Null);
    }
}
