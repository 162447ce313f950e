using System.Net;
using FazAi.Functions.Groups;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Performance;

/// <summary>Listing one account's groups reads that account's partition only, whatever other accounts hold.</summary>
[Trait("Category", "Scale")]
public sealed class GroupScaleTests
{
    private sealed record Cost(int Requests, int EntitiesRead);

    [Fact]
    public async Task Listing_an_accounts_groups_costs_the_same_whatever_other_accounts_hold()
    {
        var alone = await MeasureAsync(otherAccounts: 0);
        var crowded = await MeasureAsync(otherAccounts: 40);

        Assert.Equal(new Cost(2, 1 + 30), alone);
        Assert.Equal(alone, crowded);
    }

    /// <summary>
    /// One account with 30 groups beside <paramref name="otherAccounts"/> accounts of 500 groups each.
    /// </summary>
    private static async Task<Cost> MeasureAsync(int otherAccounts)
    {
        await using var app = await TestApp.StartAsync();
        var client = await app.HttpAsync();
        var groups = app.Get<GroupStore>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, otherAccounts),
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (account, cancel) => await groups.SaveAsync(
                $"other-{account}",
                "other",
                [.. Enumerable.Range(0, 500).Select(i => new GroupInput($"g{i}", $"@@{i}"))],
                cancel));
        var mine = Enumerable.Range(0, 30).Select(i => new { groupname = $"mine {i}", groupsign = $"@@m{i}" });
        var token = await client.LogInAsync("207364874", chatGroup: [.. mine]);

        app.Requests.Reset();
        var reply = await client.GetReplyAsync("/user/groups?wxuin=207364874", token);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(30, reply.Array.Count);
        return new Cost(app.Requests.Count, app.Requests.EntitiesRead);
    }
}
