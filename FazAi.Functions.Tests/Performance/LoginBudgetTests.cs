using System.Net;
using FazAi.Functions.Logins;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Performance;

/// <summary>The contract's storage budget for the QR login flow, counted as requests sent to storage.</summary>
public sealed class LoginBudgetTests : IAsyncLifetime
{
    private TestApp _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync();
        _client = await _app.HttpAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Status_costs_one_point_read()
    {
        var id = (await _client.SaveCodeAsync("p")).Text("_id");
        _app.Requests.Reset();

        await _client.GetReplyAsync($"/wx/status?_id={id}");

        Assert.Equal(1, _app.Requests.Count);
        Assert.Equal(1, _app.Requests.EntitiesRead);
    }

    [Fact]
    public async Task Saving_a_new_code_costs_one_transaction_and_refreshing_it_two_requests()
    {
        var saved = await _client.SaveCodeAsync("p");
        var afterSave = _app.Requests.Count;
        _app.Requests.Reset();

        await _client.PostJsonAsync(
            "/wx/savesrc", new { _id = saved.Text("_id"), src = "https://q.example/2", pgv_si = "p" });

        Assert.Equal(1, afterSave);
        Assert.Equal(2, _app.Requests.Count);
    }

    [Fact]
    public async Task Claiming_a_code_costs_one_query_and_one_conditional_update()
    {
        await _client.SaveCodeAsync("p");
        _app.Requests.Reset();

        var reply = await _client.GetReplyAsync("/wx/login");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(2, _app.Requests.Count);
    }

    [Fact]
    public async Task A_lost_claim_race_costs_at_most_one_retry_per_lost_race()
    {
        await _client.SaveCodeAsync("only");
        _app.Requests.Reset();

        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _client.GetReplyAsync("/wx/login")));

        // Each caller: one query and one update; each of the nine losers one more query that finds nothing.
        Assert.Single(replies, r => r.Status == HttpStatusCode.OK);
        Assert.True(_app.Requests.Count <= 10 * 3, string.Join("\n", _app.Requests.Log));
    }

    [Fact]
    public async Task Loginsync_without_chats_costs_three_requests()
    {
        await _client.SaveCodeAsync("p");
        _app.Requests.Reset();

        await _client.PostJsonAsync("/wx/loginsync", new { pgv_si = "p", name = "n", wxuin = "1" });

        Assert.Equal(3, _app.Requests.Count);
    }

    [Fact]
    public async Task A_repeated_loginsync_writes_nothing()
    {
        await _client.SaveCodeAsync("p");
        await _client.PostJsonAsync("/wx/loginsync", new { pgv_si = "p", name = "n", wxuin = "1" });
        _app.Requests.Reset();

        await _client.PostJsonAsync("/wx/loginsync", new { pgv_si = "p", name = "n", wxuin = "1" });

        Assert.Equal(2, _app.Requests.Count);
    }

    [Fact]
    public async Task A_user_call_with_a_malformed_token_costs_nothing()
    {
        _app.Requests.Reset();

        var reply = await _client.GetReplyAsync("/user/groups?wxuin=1", token: "not-a-token");

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal(0, _app.Requests.Count);
    }

    [Fact]
    public async Task Timer_costs_one_query_page_and_one_write_per_stale_code()
    {
        await LoginSeeder.SeedWaitingAsync(_app, 12, _app.Clock.Now);
        _app.Clock.Advance(TimeSpan.FromMinutes(5));
        _app.Requests.Reset();

        var expired = await _app.Get<LoginStore>().ExpireStaleAsync(CancellationToken.None);

        Assert.Equal(12, expired);
        Assert.Equal(1 + 12, _app.Requests.Count);
        Assert.Equal(12, _app.Requests.EntitiesRead);
    }
}
