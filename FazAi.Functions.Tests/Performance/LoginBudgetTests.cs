using System.Net;
using FazAi.Functions.Logins;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Performance;

/// <summary>The contract's storage budget for the QR login flow, counted as requests sent to storage.</summary>
public sealed class LoginBudgetTests : AppTests
{
    [Fact]
    public async Task Status_costs_one_point_read()
    {
        var id = (await Client.SaveCodeAsync("p")).Text("_id");
        App.Requests.Reset();

        await Client.GetReplyAsync($"/wx/status?_id={id}");

        Assert.Equal(1, App.Requests.Count);
        Assert.Equal(1, App.Requests.EntitiesRead);
    }

    [Fact]
    public async Task Saving_a_new_code_costs_one_transaction_and_refreshing_it_two_requests()
    {
        var saved = await Client.SaveCodeAsync("p");
        var afterSave = App.Requests.Count;
        App.Requests.Reset();

        await Client.PostJsonAsync(
            "/wx/savesrc", new { _id = saved.Text("_id"), src = "https://q.example/2", pgv_si = "p" });

        Assert.Equal(1, afterSave);
        Assert.Equal(2, App.Requests.Count);
    }

    [Fact]
    public async Task Claiming_a_code_costs_one_query_and_one_conditional_update()
    {
        await Client.SaveCodeAsync("p");
        App.Requests.Reset();

        var reply = await Client.GetReplyAsync("/wx/login");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(2, App.Requests.Count);
    }

    [Fact]
    public async Task A_lost_claim_race_costs_at_most_one_retry_per_lost_race()
    {
        await Client.SaveCodeAsync("only");
        App.Requests.Reset();

        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Client.GetReplyAsync("/wx/login")));

        // Each caller: one query and one update; each of the nine losers one more query that finds nothing.
        Assert.Single(replies, r => r.Status == HttpStatusCode.OK);
        Assert.True(App.Requests.Count <= 10 * 3, string.Join("\n", App.Requests.Log));
    }

    [Fact]
    public async Task Loginsync_without_chats_costs_three_requests()
    {
        await Client.SaveCodeAsync("p");
        App.Requests.Reset();

        await Client.PostJsonAsync("/wx/loginsync", new { pgv_si = "p", name = "n", wxuin = "1" });

        Assert.Equal(3, App.Requests.Count);
    }

    [Fact]
    public async Task A_repeated_loginsync_writes_nothing()
    {
        await Client.SaveCodeAsync("p");
        await Client.PostJsonAsync("/wx/loginsync", new { pgv_si = "p", name = "n", wxuin = "1" });
        App.Requests.Reset();

        await Client.PostJsonAsync("/wx/loginsync", new { pgv_si = "p", name = "n", wxuin = "1" });

        Assert.Equal(2, App.Requests.Count);
    }

    [Fact]
    public async Task A_user_call_with_a_malformed_token_costs_nothing()
    {
        App.Requests.Reset();

        var reply = await Client.GetReplyAsync("/user/groups?wxuin=1", token: "not-a-token");

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal(0, App.Requests.Count);
    }

    [Fact]
    public async Task Timer_costs_one_query_page_and_one_write_per_stale_code()
    {
        await LoginSeeder.SeedWaitingAsync(App, 12, App.Clock.Now);
        App.Clock.Advance(TimeSpan.FromMinutes(5));
        App.Requests.Reset();

        var expired = await App.Get<LoginStore>().ExpireStaleAsync(CancellationToken.None);

        Assert.Equal(12, expired);
        Assert.Equal(1 + 12, App.Requests.Count);
        Assert.Equal(12, App.Requests.EntitiesRead);
    }
}
