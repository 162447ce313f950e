using System.Net;
using Azure.Data.Tables;
using FazAi.Functions.Logins;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Logins;

public sealed class ExpireQrCodesTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private LoginStore Logins => _app.Get<LoginStore>();

    [Fact]
    public async Task Timer_expires_1005_stale_codes_exactly_once_across_pages_and_leaves_fresh_ones()
    {
        var stale = await SaveAsync(1005, "stale");
        _app.Clock.Advance(TimeSpan.FromMinutes(4));
        var fresh = await SaveAsync(3, "fresh");
        _app.Clock.Advance(TimeSpan.FromMinutes(2));
        _app.Requests.Reset();

        var expired = await Logins.ExpireStaleAsync(CancellationToken.None);

        Assert.Equal(1005, expired);
        var queries = _app.Requests.Log.Count(entry => entry.Contains("$filter", StringComparison.Ordinal));
        Assert.Equal(2, queries);
        Assert.Equal(1005 + queries, _app.Requests.Count);
        foreach (var id in stale.Take(20).Concat(stale.TakeLast(20)))
        {
            var row = await Logins.ReadAsync(id, CancellationToken.None);
            Assert.Equal(LoginStatus.Expired, row!.Status);
            Assert.Equal("", row.QueueKey);
        }

        foreach (var id in fresh)
        {
            Assert.Equal(LoginStatus.Wait, (await Logins.ReadAsync(id, CancellationToken.None))!.Status);
        }

        Assert.Equal(0, await Logins.ExpireStaleAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Timer_expires_a_claimed_code_that_was_never_scanned()
    {
        var client = await _app.HttpAsync();
        var id = (await client.SaveCodeAsync("p")).Text("_id");
        Assert.Equal(HttpStatusCode.OK, (await client.GetReplyAsync("/wx/login")).Status);
        _app.Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(1, await Logins.ExpireStaleAsync(CancellationToken.None));
        Assert.Equal(LoginStatus.Expired, (await Logins.ReadAsync(id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Timer_never_touches_an_online_login()
    {
        var client = await _app.HttpAsync();
        var token = await client.LogInAsync("207364874");
        _app.Clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, await Logins.ExpireStaleAsync(CancellationToken.None));
        Assert.Equal(LoginStatus.Online, (await Logins.ReadAsync(token, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Two_timer_runs_at_once_expire_each_code_once()
    {
        await SaveAsync(300, "twice");
        _app.Clock.Advance(TimeSpan.FromMinutes(6));

        var counts = await Task.WhenAll(
            Logins.ExpireStaleAsync(CancellationToken.None), Logins.ExpireStaleAsync(CancellationToken.None));

        Assert.Equal(300, counts.Sum());
        Assert.Equal(0, await QueueRowsAsync());
    }

    [Fact]
    public async Task Timer_racing_loginsync_on_one_code_ends_online_or_expired_never_both()
    {
        var client = await _app.HttpAsync();
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add((await client.SaveCodeAsync($"race-{i}")).Text("_id"));
        }

        _app.Clock.Advance(TimeSpan.FromMinutes(6));

        var confirms = Enumerable.Range(0, 20).Select(i =>
            client.PostJsonAsync("/wx/loginsync", new { pgv_si = $"race-{i}", name = "n", wxuin = $"u{i}" })).ToList();
        var timer = Logins.ExpireStaleAsync(CancellationToken.None);
        var replies = await Task.WhenAll(confirms);
        var expired = await timer;

        for (var i = 0; i < 20; i++)
        {
            var status = (await Logins.ReadAsync(ids[i], CancellationToken.None))!.Status;
            if (replies[i].Status == HttpStatusCode.OK)
            {
                Assert.Equal(LoginStatus.Online, status);
            }
            else
            {
                Assert.Equal((HttpStatusCode.Conflict, LoginStatus.Expired), (replies[i].Status, status));
            }
        }

        Assert.Equal(20 - replies.Count(r => r.Status == HttpStatusCode.OK), expired);
        Assert.Equal(0, await QueueRowsAsync());
    }

    [Fact]
    public async Task The_timer_function_runs_the_expiry()
    {
        var id = (await SaveAsync(1, "f"))[0];
        _app.Clock.Advance(TimeSpan.FromMinutes(5));

        await _app.Function<ExpireQrCodesFunction>()
            .Run(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);

        Assert.Equal(LoginStatus.Expired, (await Logins.ReadAsync(id, CancellationToken.None))!.Status);
    }

    private async Task<List<string>> SaveAsync(int count, string prefix)
    {
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 8 };
        await Parallel.ForEachAsync(Enumerable.Range(0, count), parallel, async (i, cancel) =>
        {
            var login = await Logins.SaveQrCodeAsync($"https://q.example/{i}", $"{prefix}-{i}", null, cancel);
            ids.Add(login.Id);
        });
        return [.. ids];
    }

    private async Task<int> QueueRowsAsync()
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {"qr"} and RowKey ge {"queue:"} and RowKey lt {"queue;"}");
        var count = 0;
        await foreach (var _ in _app.Storage.Logins.QueryAsync<TableEntity>(filter))
        {
            count++;
        }

        return count;
    }
}
