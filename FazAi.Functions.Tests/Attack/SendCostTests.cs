using System.Net;
using FazAi.Functions.Groups;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Attack;

/// <summary>
/// A call's storage cost stays with what the call names: a message to 15 groups must not read every group the
/// account has. Targets are looked up by key, 14 to a query, so the cost follows the targets, not the group set.
/// </summary>
[Trait("Category", "Scale")]
public sealed class SendCostTests
{
    private sealed record Cost(HttpStatusCode Status, int Requests, int EntitiesRead);

    [Theory]
    [InlineData(15)]
    [InlineData(40)]
    public async Task Scheduling_to_many_groups_costs_the_same_whether_the_account_has_50_or_5000_groups(int targets)
    {
        var few = await MeasureAsync(savedGroups: 50, targets);
        var many = await MeasureAsync(savedGroups: 5000, targets);

        Assert.Equal(HttpStatusCode.OK, few.Status);
        Assert.Equal(few, many);
    }

    private static async Task<Cost> MeasureAsync(int savedGroups, int targets)
    {
        await using var app = await TestApp.StartAsync();
        var client = await app.HttpAsync();
        await app.Get<GroupStore>().SaveAsync(
            "207364874", "小奇",
            [.. Enumerable.Range(0, savedGroups).Select(i => new GroupInput($"group {i}", $"@@{i:D5}"))],
            CancellationToken.None);
        var token = await client.LogInAsync("207364874");

        app.Requests.Reset();
        var reply = await client.SendMessageAsync(token, new
        {
            wxuin = "207364874",
            wxname = "小奇",
            sendTime = app.Clock.Now.AddHours(1).ToUnixTimeMilliseconds(),
            targetGroup = Enumerable.Range(0, targets).Select(i => new { sign = $"@@{i:D5}" }),
            type = "text",
            content = "hi",
        });

        return new Cost(reply.Status, app.Requests.Count, app.Requests.EntitiesRead);
    }
}
