using System.Net;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Logins;

/// <summary>Every bad input of the login endpoints gets its envelope error and writes nothing.</summary>
public sealed class LoginBadInputTests : AppTests
{
    public static TheoryData<string, string> BadSaveBodies => new()
    {
        { "{}", "src" },
        { """{"pgv_si":"p"}""", "src" },
        { """{"src":"https://a.example/q"}""", "pgv_si" },
        { """{"src":"","pgv_si":"p"}""", "src" },
        { """{"src":"https://a.example/q","pgv_si":""}""", "pgv_si" },
        { """{"src":"ftp://a.example/q","pgv_si":"p"}""", "src" },
        { """{"src":"javascript:alert(1)","pgv_si":"p"}""", "src" },
        { """{"src":"not a url","pgv_si":"p"}""", "src" },
        { """{"src":"data:text/html,<b>","pgv_si":"p"}""", "src" },
        { """{"src":"https://a.example/q","pgv_si":"p","_id":"123"}""", "_id" },
        { """{"src":"https://a.example/q","pgv_si":"p","_id":"587C8307611FF013701310EE"}""", "_id" },
        { """{"src":"https://a.example/q","pgv_si":"p","_id":"587c8307611ff013701310eg"}""", "_id" },
        { """{"src":42,"pgv_si":"p"}""", "src" },
        { """{"src":"https://a.example/q","pgv_si":["p"]}""", "pgv_si" },
        { """{"src":"https://a.example/q","pgv_si":"a\u0001b"}""", "pgv_si" },
        { """{"src":"https://a.example/q","pgv_si":"\ud800"}""", "pgv_si" },
    };

    [Theory]
    [MemberData(nameof(BadSaveBodies))]
    public async Task SaveQrCode_with_a_bad_parameter_is_400_naming_it_and_writes_nothing(string body, string parameter)
    {
        var reply = await Client.PostRawAsync("/wx/savesrc", body, "application/json");

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        Assert.Contains(parameter, reply.Info);
        Assert.Null(reply.Value);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task SaveQrCode_with_a_src_over_4_KiB_is_400()
    {
        var src = "https://a.example/" + new string('a', 4096);

        var reply = await Client.PostJsonAsync("/wx/savesrc", new { src, pgv_si = "p" });

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        Assert.Contains("src", reply.Info);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task SaveQrCode_accepts_an_image_data_uri()
    {
        var reply = await Client.PostJsonAsync(
            "/wx/savesrc", new { src = "data:image/png;base64,iVBORw0KGgo=", pgv_si = "p" });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"src\":")]
    [InlineData("[1,2,3]")]
    [InlineData("\"text\"")]
    [InlineData("{\"src\":\"https://a.example\",\"src\":\"https://b.example\",\"pgv_si\":\"p\"}")]
    public async Task A_body_that_is_not_a_json_object_is_400(string body)
    {
        var reply = await Client.PostRawAsync("/wx/savesrc", body, "application/json");

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Refreshing_an_unknown_id_is_404_and_writes_nothing()
    {
        var reply = await Client.PostJsonAsync(
            "/wx/savesrc", new { _id = "587c8307611ff013701310ee", src = "https://a.example/q", pgv_si = "p" });

        Assert.Equal((HttpStatusCode.NotFound, 6), (reply.Status, reply.Code));
        await AssertNothingWrittenAsync();
    }

    public static TheoryData<string, string> BadConfirmBodies => new()
    {
        { """{"name":"n","wxuin":"1"}""", "pgv_si" },
        { """{"pgv_si":"p","wxuin":"1"}""", "name" },
        { """{"pgv_si":"p","name":"   ","wxuin":"1"}""", "name" },
        { """{"pgv_si":"p","name":"n"}""", "wxuin" },
        { """{"pgv_si":"p","name":"n","wxuin":""}""", "wxuin" },
        { """{"pgv_si":"p","name":"n","wxuin":12345}""", "wxuin" },
        { """{"pgv_si":"p","name":"n","wxuin":"a\tb"}""", "wxuin" },
        {
            """{"pgv_si":"p","name":"n","wxuin":"12345678901234567890123456789012345678901234567890123456789012345"}""",
            "wxuin"
        },
        { """{"pgv_si":"p","name":"n","wxuin":"1","chatGroup":"nope"}""", "chatGroup" },
        { """{"pgv_si":"p","name":"n","wxuin":"1","chatGroup":[{"groupname":"g"}]}""", "groupsign" },
    };

    [Theory]
    [MemberData(nameof(BadConfirmBodies))]
    public async Task Loginsync_with_a_bad_parameter_is_400_naming_it_and_changes_nothing(string body, string parameter)
    {
        var id = (await Client.SaveCodeAsync("p")).Text("_id");
        App.Requests.Reset();

        var reply = await Client.PostRawAsync("/wx/loginsync", body, "application/json");

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        Assert.Contains(parameter, reply.Info);
        Assert.Equal(0, App.Requests.Count);
        Assert.Equal("wait", (await Client.GetReplyAsync($"/wx/status?_id={id}")).Text("status"));
    }

    [Fact]
    public async Task Loginsync_with_an_unknown_pgv_si_is_404()
    {
        var reply = await Client.PostJsonAsync("/wx/loginsync", new { pgv_si = "nobody", name = "n", wxuin = "1" });

        Assert.Equal((HttpStatusCode.NotFound, 6), (reply.Status, reply.Code));
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData("/wx/status", HttpStatusCode.BadRequest)]
    [InlineData("/wx/status?_id=", HttpStatusCode.BadRequest)]
    [InlineData("/wx/status?_id=587c8307611ff013701310e", HttpStatusCode.BadRequest)]
    [InlineData("/wx/status?_id=587c8307611ff013701310eee", HttpStatusCode.BadRequest)]
    [InlineData("/wx/status?_id=587c8307611ff013701310e%27", HttpStatusCode.BadRequest)]
    [InlineData("/wx/status?_id=587c8307611ff013701310ee", HttpStatusCode.NotFound)]
    public async Task Status_with_a_missing_malformed_or_unknown_id_is_an_envelope_error(
        string path, HttpStatusCode status)
    {
        var reply = await Client.GetReplyAsync(path);

        Assert.Equal(status, reply.Status);
        Assert.Equal(status == HttpStatusCode.NotFound ? 6 : 1, reply.Code);
        Assert.Contains("_id", reply.Info, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("PUT", "/wx/savesrc")]
    [InlineData("GET", "/wx/savesrc")]
    [InlineData("POST", "/wx/status")]
    [InlineData("GET", "/api/wx/status")]
    [InlineData("GET", "/nothing/here")]
    public async Task A_method_or_path_outside_the_contract_is_a_404_envelope(string method, string path)
    {
        var reply = await Wire.SendAsync(Client, new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal((HttpStatusCode.NotFound, 6), (reply.Status, reply.Code));
        Assert.Contains(path, reply.Info);
    }

    [Theory]
    [InlineData("/admin/host/status")]
    [InlineData("/runtime/webhooks/eventgrid")]
    public async Task The_catch_all_leaves_the_hosts_own_admin_and_runtime_paths_alone(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    private async Task AssertNothingWrittenAsync()
    {
        var rows = 0;
        await foreach (var _ in App.Storage.Logins.QueryAsync<Azure.Data.Tables.TableEntity>())
        {
            rows++;
        }

        Assert.Equal(0, rows);
    }
}
