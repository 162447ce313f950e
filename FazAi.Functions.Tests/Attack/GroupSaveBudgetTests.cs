using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Attack;

/// <summary>
/// The cost of <c>/wx/save/group</c>. The contract's row is 1 read page per 1,000 existing groups + 1 batch per 100
/// changed groups; the app keeps a version row in the account's partition that guards concurrent saves, which
/// takes one slot of every batch (99 groups each) and one entity of the read. So the budget holds up to 99 changed
/// and 999 stored groups a step, and round numbers cost one request more (docs/performance.md says why).
/// </summary>
public sealed class GroupSaveBudgetTests : AppTests
{
    private const string Wxuin = "207364874";

    [Theory]
    [InlineData(99, 1)]
    [InlineData(100, 2)]
    [InlineData(198, 2)]
    public async Task Saving_new_groups_is_one_read_and_one_batch_per_99(int groups, int batches)
    {
        await Client.SaveGroupsAsync(Wxuin, Groups(groups));

        Assert.Equal(1 + batches, App.Requests.Count);
    }

    [Theory]
    [InlineData(999, 1)]
    [InlineData(1000, 2)]
    public async Task Saving_the_same_groups_again_is_one_read_page_per_1000_rows_and_no_batch(int groups, int pages)
    {
        await Client.SaveGroupsAsync(Wxuin, Groups(groups));
        App.Requests.Reset();

        await Client.SaveGroupsAsync(Wxuin, Groups(groups));

        Assert.Equal(pages, App.Requests.Count);
    }

    private static List<object> Groups(int count) =>
        [.. Enumerable.Range(0, count).Select(i => Messaging.Group($"群 {i}", $"@@{i:D5}"))];
}
