using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Attack;

/// <summary>
/// The budget of <c>/wx/save/group</c>: 1 read page per 1,000 existing groups + 1 batch per 100 changed groups.
/// The app keeps a version row in the account's partition, which takes a slot in every batch (99 groups each) and
/// an entity in every read, so round numbers of groups cost one request more than the budget.
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

    [Fact]
    public async Task Saving_100_new_groups_is_one_read_and_one_batch()
    {
        await _client.SaveGroupsAsync(Wxuin, Groups(100));

        Assert.Equal(1 + 1, _app.Requests.Count);
    }

    [Fact]
    public async Task Saving_the_same_1000_groups_again_is_one_read_page()
    {
        await _client.SaveGroupsAsync(Wxuin, Groups(1000));
        _app.Requests.Reset();

        await _client.SaveGroupsAsync(Wxuin, Groups(1000));

        Assert.Equal(1, _app.Requests.Count);
    }

    private static List<object> Groups(int count) =>
        [.. Enumerable.Range(0, count).Select(i => Messaging.Group($"群 {i}", $"@@{i:D5}"))];
}
