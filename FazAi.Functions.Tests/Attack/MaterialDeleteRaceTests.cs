using System.Net;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Attack;

/// <summary>
/// Deleting answers the deleted record, and a second delete of the same <c>_id</c> is a 404. Run at the same time,
/// many deletes of one material each answer 200 with "the deleted record" (the row delete is unconditional), where
/// many deletes of one message answer one 200 and 404s. One thing must not be handed to several callers.
/// </summary>
public sealed class MaterialDeleteRaceTests : AppTests
{
    private const string Wxuin = "207364874";

    [Fact]
    public async Task Concurrent_deletes_of_one_material_answer_one_200_and_the_rest_404()
    {
        var token = await Client.LogInAsync(Wxuin);
        var statuses = new List<HttpStatusCode>();
        for (var round = 0; round < 3; round++)
        {
            await Client.UploadOkAsync(token, Wxuin, "image", Uploads.Fixture("sample.gif"), "a.gif");
            var listed = await Client.GetReplyAsync(
                Wire.Query("/user/files/show", ("wxuin", Wxuin), ("type", "image")), token);
            var id = Assert.Single(listed.Array)!["_id"]!.GetValue<string>();

            var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
                Client.PostJsonAsync("/user/files/delete", new { wxuin = Wxuin, _id = id }, token)));

            statuses.AddRange(replies.Select(r => r.Status));
            Assert.All(
                replies, r => Assert.True(r.Status is HttpStatusCode.OK or HttpStatusCode.NotFound, r.ToString()));
            Assert.True(
                replies.Count(r => r.Status == HttpStatusCode.OK) == 1,
                $"round {round}: {replies.Count(r => r.Status == HttpStatusCode.OK)} of 10 deletes answered 200");
            await App.AssertNothingStoredAsync();
        }
    }
}
