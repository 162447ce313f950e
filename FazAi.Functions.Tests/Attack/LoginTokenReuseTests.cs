using System.Net;
using Azure.Data.Tables;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Attack;

/// <summary>
/// The token is the login's <c>_id</c>. Whoever once held an <c>_id</c> must not get into an account that logs in
/// later under that same <c>_id</c> ("Nobody reads or changes another account's data").
/// </summary>
public sealed class LoginTokenReuseTests : AppTests
{
    private const string Victim = "victim-207364874";

    protected override async Task ArrangeAsync()
    {
        await Client.SaveGroupsAsync(Victim, [Messaging.Group("victim's secret group", "@@victim")]);
    }

    [Fact]
    public async Task A_claimed_code_that_the_window_refreshes_is_never_handed_to_a_second_person()
    {
        // Person 1 asks for a code and keeps its _id (the front end polls /wx/status with it).
        await Client.SaveCodeAsync("window-cookie");
        var first = await Client.GetReplyAsync("/wx/login");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var firstToken = first.Text("_id");

        // Nobody scans; the window refreshes that code as the contract allows (_id given).
        App.Clock.Advance(TimeSpan.FromMinutes(6));
        var refreshed = await Client.PostJsonAsync(
            "/wx/savesrc",
            new { _id = firstToken, src = "https://login.weixin.qq.com/qrcode/new", pgv_si = "window-cookie" });
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);

        // Person 2 must not be given the _id person 1 holds: that would make one token two people's.
        var second = await Client.GetReplyAsync("/wx/login");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.Status);
        Assert.Equal(
            "https://login.weixin.qq.com/qrcode/new",
            (await Client.GetReplyAsync($"/wx/status?_id={firstToken}")).Text("src"));
    }

    [Fact]
    public async Task A_refreshed_online_login_is_never_handed_to_the_next_person_and_its_old_token_stops_working()
    {
        var tokenOfA = await Client.LogInAsync("account-a");

        // The window reuses the _id for its next QR code.
        await Client.PostJsonAsync(
            "/wx/savesrc", new { _id = tokenOfA, src = "https://q.example/next", pgv_si = "next" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Client.GetReplyAsync("/wx/login")).Status);
        Assert.Equal(
            HttpStatusCode.Unauthorized,
            (await Client.GetReplyAsync("/user/groups?wxuin=account-a", tokenOfA)).Status);
    }

    [Fact]
    public async Task
        Loginsync_of_an_online_login_as_another_account_gives_the_earlier_token_no_access_to_that_account()
    {
        // The window's pgv_si cookie outlives a WeChat logout; the next account confirms with the same cookie.
        var pgvSi = "same-browser-cookie";
        var tokenOfA = (await Client.SaveCodeAsync(pgvSi)).Text("_id");
        Assert.Equal(
            HttpStatusCode.OK,
            (await Client.PostJsonAsync(
                "/wx/loginsync", new { pgv_si = pgvSi, name = "a", wxuin = "account-a" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetReplyAsync("/user/groups?wxuin=account-a", tokenOfA)).Status);

        await Client.PostJsonAsync("/wx/loginsync", new { pgv_si = pgvSi, name = "victim", wxuin = Victim });

        var stolen = await Client.GetReplyAsync($"/user/groups?wxuin={Victim}", tokenOfA);
        Assert.True(stolen.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, stolen.ToString());
    }

    [Fact]
    public async Task Loginsync_that_answers_an_error_leaves_the_code_not_online()
    {
        // Another writer keeps changing the account's group set, so saving chatGroup loses every optimistic retry.
        const string wxuin = "busy-account";
        var chats = Enumerable.Range(0, 50)
            .Select(i => new { groupname = $"chat {i}", groupsign = $"@@c{i}" })
            .ToArray();
        Reply? refused = null;
        string? refusedId = null;
        for (var round = 0; round < 5 && refused is null; round++)
        {
            var pgvSi = $"busy-{round}";
            var id = (await Client.SaveCodeAsync(pgvSi)).Text("_id");
            using var stop = new CancellationTokenSource();
            var hammers = Enumerable.Range(0, 4).Select(_ => HammerVersionRowAsync(wxuin, stop.Token)).ToArray();
            try
            {
                await Task.Delay(50);
                var reply = await Client.PostJsonAsync(
                    "/wx/loginsync", new { pgv_si = pgvSi, name = "n", wxuin, chatGroup = chats });
                if (reply.Status != HttpStatusCode.OK)
                {
                    (refused, refusedId) = (reply, id);
                }
            }
            finally
            {
                await stop.CancelAsync();
                await Task.WhenAll(hammers);
            }
        }

        Assert.True(
            refused is not null,
            "could not provoke a refused loginsync; the scenario needs another way to fail the group save");
        var status = await Client.GetReplyAsync($"/wx/status?_id={refusedId}");
        Assert.True(
            status.Text("status") != "online",
            $"loginsync answered {refused} yet the code is online: the call was half-applied");
    }

    /// <summary>Rewrites the group set's version row of <paramref name="wxuin"/> as fast as it can.</summary>
    private async Task HammerVersionRowAsync(string wxuin, CancellationToken stop)
    {
        var table = App.Storage.Groups;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await table.UpsertEntityAsync(
                    new TableEntity(wxuin, "!") { ["Saved"] = DateTimeOffset.UtcNow.ToString("O") },
                    TableUpdateMode.Replace,
                    CancellationToken.None);
            }
            catch (Azure.RequestFailedException)
            {
                // A lost race with the app is fine: the point is to keep the row moving.
            }
        }
    }
}
