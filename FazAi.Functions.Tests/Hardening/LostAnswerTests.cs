using System.Net;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Hardening;

/// <summary>
/// A write that storage committed but whose answer was lost is sent again by the client's retry and meets itself.
/// The app must see its own write there, not a conflict: nothing twice, nothing half-undone.
/// </summary>
[Trait("Category", "Faults")]
public sealed class LostAnswerTests : AppTests
{
    private const string WxUin = "207364874";
    private const string Batch = "table POST /devstoreaccount1/$batch";

    [Fact]
    public async Task A_new_qr_code_whose_answer_was_lost_is_saved_once()
    {
        App.Faults.LoseAnswerOnce(request => request.StartsWith(Batch, StringComparison.Ordinal));

        var reply = await Client.PostJsonAsync("/wx/savesrc", new { src = "https://q.example/1", pgv_si = "lost" });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(1, App.Faults.Failed);
        Assert.Equal(reply.Text("_id"), (await Client.GetReplyAsync("/wx/login")).Text("_id"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Client.GetReplyAsync("/wx/login")).Status);
    }

    [Fact]
    public async Task A_new_message_whose_answer_was_lost_is_created_once()
    {
        var token = await Client.LogInAsync(WxUin, chatGroup: [Messaging.Group("g", "@@g")]);
        App.Faults.LoseAnswerOnce(request => request.StartsWith(Batch, StringComparison.Ordinal));

        var reply = await Client.ScheduleAsync(token, WxUin, "@@g", App.Clock.Now.AddDays(1));

        Assert.Equal(1, App.Faults.Failed);
        var listed = await Client.ShowAsync(token, WxUin, "wait");
        Assert.Equal(reply, Assert.Single(listed.Array)!["_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_upload_whose_row_answer_was_lost_keeps_its_row_and_its_file()
    {
        var token = await Client.LogInAsync(WxUin);
        var rowInsert = $"table POST /devstoreaccount1/materials{App.Suffix}";
        App.Faults.LoseAnswerOnce(request => request.StartsWith(rowInsert, StringComparison.Ordinal));

        var name = await Client.UploadOkAsync(token, WxUin, "image", Uploads.Fixture("sample.jpg"));

        Assert.Equal(1, App.Faults.Failed);
        Assert.Single((await Client.GetReplyAsync($"/user/files/show?wxuin={WxUin}&type=image", token)).Array);
        Assert.Single(await App.BlobNamesAsync(), blob => blob.EndsWith(name, StringComparison.Ordinal));
    }
}
