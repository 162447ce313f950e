using System.Net;

namespace FazAi.Functions.Tests.Infrastructure;

/// <summary>The steps of the login flow that many tests need before the part they are about.</summary>
public static class Journeys
{
    public static async Task<Reply> SaveCodeAsync(
        this HttpClient client, string pgvSi, string src = "https://login.weixin.qq.com/qrcode/abc")
    {
        var reply = await client.PostJsonAsync("/wx/savesrc", new { src, pgv_si = pgvSi });
        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        return reply;
    }

    /// <summary>A window saves a code, a person claims it, the window confirms: returns the token.</summary>
    public static async Task<string> LogInAsync(
        this HttpClient client, string wxuin, string wxname = "小奇", object[]? chatGroup = null)
    {
        var pgvSi = "pgv-" + Guid.NewGuid().ToString("N");
        var saved = await client.SaveCodeAsync(pgvSi);
        object body = chatGroup is null
            ? new { pgv_si = pgvSi, name = wxname, wxuin }
            : new { pgv_si = pgvSi, name = wxname, wxuin, chatGroup };
        var confirmed = await client.PostJsonAsync("/wx/loginsync", body);
        Assert.True(confirmed.Status == HttpStatusCode.OK, confirmed.ToString());
        return saved.Text("_id");
    }
}
