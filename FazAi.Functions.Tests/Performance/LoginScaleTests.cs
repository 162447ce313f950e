using System.Net;
using FazAi.Functions.Logins;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Performance;

/// <summary>
/// The QR flow's cost does not grow with logins it does not touch: the same requests and the same entities read
/// with 10 or 100,000 other logins stored. Counts, not times: Azurite scans its tables, Azure does not.
/// </summary>
[Trait("Category", "Scale")]
public sealed class LoginScaleTests
{
    private sealed record Cost(int Requests, int EntitiesRead);

    [Fact]
    public async Task Status_claim_and_timer_cost_the_same_with_10_or_100000_other_logins()
    {
        var small = await MeasureAsync(otherLogins: 10);
        var large = await MeasureAsync(otherLogins: 100_000);

        Assert.Equal(small["status"], large["status"]);
        Assert.Equal(small["timer"], large["timer"]);
        Assert.Equal(small["claim"].Requests, large["claim"].Requests);

        // A claim reads one page of free codes to spread racing callers; the page has a fixed size.
        Assert.InRange(large["claim"].EntitiesRead, 1, 16);
    }

    /// <summary>
    /// Stores <paramref name="otherLogins"/> fresh codes beside 10 stale ones and one login to read, then measures
    /// the status read, one claim and the timer run.
    /// </summary>
    private static async Task<Dictionary<string, Cost>> MeasureAsync(int otherLogins)
    {
        await using var app = await TestApp.StartAsync();
        var client = await app.HttpAsync();
        await LoginSeeder.SeedWaitingAsync(app, 10, app.Clock.Now);
        app.Clock.Advance(TimeSpan.FromMinutes(6));
        await LoginSeeder.SeedWaitingAsync(app, otherLogins, app.Clock.Now);
        var known = (await client.SaveCodeAsync("known")).Text("_id");
        var costs = new Dictionary<string, Cost>();

        app.Requests.Reset();
        Assert.Equal(HttpStatusCode.OK, (await client.GetReplyAsync($"/wx/status?_id={known}")).Status);
        costs["status"] = new(app.Requests.Count, app.Requests.EntitiesRead);

        app.Requests.Reset();
        Assert.Equal(HttpStatusCode.OK, (await client.GetReplyAsync("/wx/login")).Status);
        costs["claim"] = new(app.Requests.Count, app.Requests.EntitiesRead);

        app.Requests.Reset();
        Assert.Equal(10, await app.Get<LoginStore>().ExpireStaleAsync(CancellationToken.None));
        costs["timer"] = new(app.Requests.Count, app.Requests.EntitiesRead);
        return costs;
    }
}
