using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Benchmarks;

/// <summary>The endpoints measured, each paired with the raw storage calls it must make at the least.</summary>
public sealed class EndpointScenarios
{
    private const string WxUin = "207364874";

    private string _token = "";

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
            new("raw: 1 point read", null, _ => raw.PointReadAsync()),
            new("GET /wx/status", "raw: 1 point read", _ => Call(http, HttpMethod.Get, $"/wx/status?_id={_token}")));
        yield return (
            new("raw: 1 batch of 3 inserts", null, _ => raw.BatchInsertAsync(3)),
            new("POST /wx/savesrc", "raw: 1 batch of 3 inserts", i => Call(http, HttpMethod.Post, "/wx/savesrc",
                $$"""{"src":"https://q.example/b","pgv_si":"bench-{{i}}"}""")));
        yield return (
            new("raw: point read + query", null, async _ => { await raw.PointReadAsync(); await raw.QueryAsync(); }),
            new("GET /user/groups", "raw: point read + query",
                _ => Call(http, HttpMethod.Get, $"/user/groups?wxuin={WxUin}")));
        yield return (
            new("raw: point read + query", null, async _ => { await raw.PointReadAsync(); await raw.QueryAsync(); }),
            new("GET /user/message/show", "raw: point read + query",
                _ => Call(http, HttpMethod.Get, $"/user/message/show?wxuin={WxUin}&status=wait")));
        yield return (
            new("raw: point read + query + batch of 2", null, async _ =>
            {
                await raw.PointReadAsync();
                await raw.QueryAsync();
                await raw.BatchInsertAsync(2);
            }),
            new("POST /user/message/send", "raw: point read + query + batch of 2",
                i => Call(http, HttpMethod.Post, "/user/message/send", Message(i))));
        yield return (
            new("raw: 2 queries", null, async _ => { await raw.QueryAsync(); await raw.QueryAsync(); }),
            new("GET /wx/message (nothing due)", "raw: 2 queries",
                _ => Call(http, HttpMethod.Get, $"/wx/message?wxuin={WxUin}")));
    }

    /// <summary>A text message to one saved group, due far in the future so the outbox never leases it.</summary>
    private static string Message(int i) =>
        $$"""{"wxuin":"{{WxUin}}","wxname":"bench","sendTime":"4102444800000","type":"text","content":"hello """ +
        $$"""{{i}}","targetGroup":[{"name":"group 1","sign":"@@0001"}]}""";

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
            var body = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {body}");
        }

        await response.Content.CopyToAsync(Stream.Null);
    }
}
