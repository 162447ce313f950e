using Azure.Data.Tables;
using FazAi.Functions.Http;
using FazAi.Functions.Logins;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Performance;

/// <summary>Writes many waiting QR codes straight into the table, 33 to a batch, for the scale tests.</summary>
public static class LoginSeeder
{
    public static async Task SeedWaitingAsync(TestApp app, int count, DateTimeOffset time)
    {
        var batches = Enumerable.Range(0, count).Chunk(33);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 8 };
        await Parallel.ForEachAsync(batches, parallel, async (chunk, cancel) =>
        {
            var actions = new List<TableTransactionAction>();
            foreach (var i in chunk)
            {
                var login = new LoginRow
                {
                    Id = Ids.New(),
                    Src = $"https://q.example/{i}",
                    PgvSi = $"seed-{i}",
                    Status = LoginStatus.Wait,
                    Time = time,
                };
                login.RowKey = LoginRows.LoginKey(login.Id);
                var queue = QueueRow.For(login);
                login.QueueKey = queue.RowKey;
                actions.Add(new(TableTransactionActionType.Add, login));
                actions.Add(new(TableTransactionActionType.Add, queue));
                actions.Add(new(TableTransactionActionType.UpsertReplace, new PgvRow
                {
                    RowKey = LoginRows.PgvKey(login.PgvSi),
                    PgvSi = login.PgvSi,
                    LoginId = login.Id,
                }));
            }

            await app.Storage.Logins.SubmitTransactionAsync(actions, cancel);
        });
    }
}
