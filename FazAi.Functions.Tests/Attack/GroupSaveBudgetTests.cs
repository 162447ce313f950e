using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Attack;

/// <summary>
/// The cost of <c>/wx/save/group</c>. The contract's row is 1 read page per 1,000 existing groups + 1 batch per 100
/// changed groups; the app keeps a version row in the account's partition that guards concurrent saves, which
/// takes one slot of every batch (99 groups each) and one entity of the read. So the budget holds up to 99 changed
/// and 999 stored groups a step, and round numbers cost one request more (docs/performance.md says why).
/// </summary>
public sealed class GroupSaveBudgetTests : IAsyncLifetime
{
    private const string Wxuin = "207364874";

    private TestApp _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync();
        _client = await _app.HttpAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData(99, 1)]
    [InlineData(100, 2)]
    [InlineData(198, 2)]
    public async Task Saving_new_groups_is_one_read_and_one_batch_per_99(int groups, int batches)
    {
        await _client.SaveGroupsAsync(Wxuin, Groups(groups));

        Assert.Equal(1 + batches, _app.Requests.Count);
    }

    [Theory]
    [InlineData(999, 1)]
    [InlineData(1000, 2)]
    public async Task Saving_the_same_groups_again_is_one_read_page_per_1000_rows_and_no_batch(int groups, int pages)
    {
        await _client.SaveGroupsAsync(Wxuin, Groups(groups));
        _app.Requests.Reset();

        await _client.SaveGroupsAsync(Wxuin, Groups(groups));

        Assert.Equal(pages, _app.Requests.Count);
    }

    private static List<object> Groups(int count) =>
        [.. Enumerable.Range(0, count).Select(i => Messaging.Group($"群 {i}", $"@@{i:D5}"))];
}
