using System.Net;
using System.Text.RegularExpressions;
using FazAi.Functions.Logins;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Logins;

public sealed partial class LoginFlowTests : AppTests
{
    [Fact]
    public async Task Login_flow_end_to_end_window_saves_person_claims_window_confirms_person_sees_online()
    {
        var saved = await Client.SaveCodeAsync("s4f8a2c9e1b", "https://login.weixin.qq.com/qrcode/Ye3k");
        var id = saved.Text("_id");

        var claimed = await Client.GetReplyAsync("/wx/login");
        Assert.Equal(HttpStatusCode.OK, claimed.Status);
        Assert.Equal(id, claimed.Text("_id"));
        Assert.Equal("scaning", claimed.Text("status"));
        Assert.Equal("https://login.weixin.qq.com/qrcode/Ye3k", claimed.Text("src"));

        var waiting = await Client.GetReplyAsync($"/wx/status?_id={id}");
        Assert.Equal("scaning", waiting.Text("status"));

        var confirmed = await Client.PostJsonAsync(
            "/wx/loginsync", new { pgv_si = "s4f8a2c9e1b", name = "小奇", wxuin = "207364874" });
        Assert.Equal(HttpStatusCode.OK, confirmed.Status);

        var online = await Client.GetReplyAsync($"/wx/status?_id={id}");
        Assert.Equal(0, online.Code);
        Assert.Equal("请求成功", online.Info);
        Assert.Equal("online", online.Text("status"));
        Assert.Equal("小奇", online.Text("wxname"));
        Assert.Equal("207364874", online.Text("wxuin"));
        Assert.Equal("application/json; charset=utf-8", online.ContentType);
    }

    [Fact]
    public async Task SaveQrCode_creates_a_waiting_login_with_a_random_id_and_wire_time()
    {
        var reply = await Client.SaveCodeAsync("abc");

        Assert.Matches(IdShape(), reply.Text("_id"));
        Assert.Equal("wait", reply.Text("status"));
        Assert.Equal("abc", reply.Text("pgv_si"));
        Assert.Null(reply.Object["wxname"]);
        Assert.Null(reply.Object["wxuin"]);
        Assert.Equal("2026-12-04T08:00:00.000Z", reply.Text("time"));
        Assert.Equal(
            ["_id", "pgv_si", "src", "status", "time", "wxname", "wxuin"],
            reply.Object.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SaveQrCode_with_id_refreshes_that_login_back_to_wait_with_the_new_src_and_time()
    {
        var first = await Client.SaveCodeAsync("p1", "https://a.example/1");
        var id = first.Text("_id");
        await Client.GetReplyAsync("/wx/login");
        App.Clock.Advance(TimeSpan.FromMinutes(2));

        var refreshed = await Client.PostJsonAsync(
            "/wx/savesrc", new { _id = id, src = "https://a.example/2", pgv_si = "p1" });

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(id, refreshed.Text("_id"));
        Assert.Equal("wait", refreshed.Text("status"));
        Assert.Equal("https://a.example/2", refreshed.Text("src"));
        Assert.Equal("2026-12-04T08:02:00.000Z", refreshed.Text("time"));
        Assert.Equal("https://a.example/2", (await Client.GetReplyAsync($"/wx/status?_id={id}")).Text("src"));
    }

    [Fact]
    public async Task A_refreshed_code_stays_with_the_person_it_was_handed_to()
    {
        var id = (await Client.SaveCodeAsync("p1", "https://a.example/1")).Text("_id");
        Assert.Equal(id, (await Client.GetReplyAsync("/wx/login")).Text("_id"));

        await Client.PostJsonAsync("/wx/savesrc", new { _id = id, src = "https://a.example/2", pgv_si = "p1" });

        // Its _id is that person's future token, so nobody else may be given it.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Client.GetReplyAsync("/wx/login")).Status);
    }

    [Fact]
    public async Task A_code_that_went_online_is_never_handed_out_again_after_a_refresh()
    {
        await Client.SaveCodeAsync("p1");
        var token = (await Client.PostJsonAsync("/wx/loginsync", new { pgv_si = "p1", name = "n", wxuin = "1" }))
            .Text("_id");

        await Client.PostJsonAsync("/wx/savesrc", new { _id = token, src = "https://a.example/2", pgv_si = "p1" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Client.GetReplyAsync("/wx/login")).Status);
    }

    [Fact]
    public async Task Loginsync_of_an_online_code_as_another_account_is_409_and_keeps_the_first_account()
    {
        await Client.SaveCodeAsync("p1");
        var token = (await Client.PostJsonAsync("/wx/loginsync", new { pgv_si = "p1", name = "a", wxuin = "a" }))
            .Text("_id");

        var reply = await Client.PostJsonAsync("/wx/loginsync", new { pgv_si = "p1", name = "b", wxuin = "b" });

        Assert.Equal((HttpStatusCode.Conflict, 7), (reply.Status, reply.Code));
        Assert.Equal("a", (await Client.GetReplyAsync($"/wx/status?_id={token}")).Text("wxuin"));
    }

    [Fact]
    public async Task Refreshing_an_expired_code_makes_it_free_again()
    {
        var id = (await Client.SaveCodeAsync("p1")).Text("_id");
        App.Clock.Advance(TimeSpan.FromMinutes(6));
        await App.Get<LoginStore>().ExpireStaleAsync(CancellationToken.None);

        await Client.PostJsonAsync("/wx/savesrc", new { _id = id, src = "https://a.example/new", pgv_si = "p1" });

        Assert.Equal(id, (await Client.GetReplyAsync("/wx/login")).Text("_id"));
    }

    [Fact]
    public async Task Status_reads_expired_past_the_lifetime_even_before_the_timer_runs()
    {
        var id = (await Client.SaveCodeAsync("p")).Text("_id");

        App.Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal("expired", (await Client.GetReplyAsync($"/wx/status?_id={id}")).Text("status"));
    }

    [Fact]
    public async Task Claim_with_no_free_code_is_503_code_5()
    {
        var reply = await Client.GetReplyAsync("/wx/login");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, reply.Status);
        Assert.Equal(5, reply.Code);
        Assert.Null(reply.Value);
    }

    [Fact]
    public async Task Claim_never_hands_out_a_code_past_its_lifetime()
    {
        await Client.SaveCodeAsync("old");
        App.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromMilliseconds(1));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Client.GetReplyAsync("/wx/login")).Status);
    }

    [Fact]
    public async Task Claim_hands_each_free_code_out_once()
    {
        var older = (await Client.SaveCodeAsync("a")).Text("_id");
        App.Clock.Advance(TimeSpan.FromSeconds(1));
        var newer = (await Client.SaveCodeAsync("b")).Text("_id");

        var first = (await Client.GetReplyAsync("/wx/login")).Text("_id");
        var second = (await Client.GetReplyAsync("/wx/login")).Text("_id");
        var third = await Client.GetReplyAsync("/wx/login");

        Assert.Equal(new[] { newer, older }.Order(), new[] { first, second }.Order());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.Status);
    }

    [Fact]
    public async Task Twenty_concurrent_claims_for_one_free_code_give_exactly_one_200()
    {
        var id = (await Client.SaveCodeAsync("only")).Text("_id");

        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Client.GetReplyAsync("/wx/login")));

        var winners = replies.Where(r => r.Status == HttpStatusCode.OK).ToList();
        Assert.Single(winners);
        Assert.Equal(id, winners[0].Text("_id"));
        Assert.All(
            replies.Except(winners), r => Assert.Equal((HttpStatusCode.ServiceUnavailable, 5), (r.Status, r.Code)));
    }

    [Fact]
    public async Task Loginsync_accepts_uin_as_an_alias_of_wxuin()
    {
        var id = (await Client.SaveCodeAsync("x")).Text("_id");

        var reply = await Client.PostJsonAsync("/wx/loginsync", new { pgv_si = "x", name = "n", uin = "42" });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("42", (await Client.GetReplyAsync($"/wx/status?_id={id}")).Text("wxuin"));
    }

    [Fact]
    public async Task Loginsync_twice_is_harmless_and_keeps_the_login_time()
    {
        await Client.SaveCodeAsync("x");
        var first = await Client.PostJsonAsync("/wx/loginsync", new { pgv_si = "x", name = "n", wxuin = "42" });
        App.Clock.Advance(TimeSpan.FromMinutes(1));

        var second = await Client.PostJsonAsync("/wx/loginsync", new { pgv_si = "x", name = "n", wxuin = "42" });

        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(first.Value!.ToJsonString(), second.Value!.ToJsonString());
    }

    [Fact]
    public async Task Loginsync_confirms_the_newest_code_saved_with_that_pgv_si()
    {
        var older = (await Client.SaveCodeAsync("same")).Text("_id");
        App.Clock.Advance(TimeSpan.FromSeconds(3));
        var newer = (await Client.SaveCodeAsync("same")).Text("_id");

        var reply = await Client.PostJsonAsync("/wx/loginsync", new { pgv_si = "same", name = "n", wxuin = "1" });

        Assert.Equal(newer, reply.Text("_id"));
        Assert.Equal("wait", (await Client.GetReplyAsync($"/wx/status?_id={older}")).Text("status"));
    }

    [Fact]
    public async Task Loginsync_of_an_expired_code_is_409_and_leaves_it_expired()
    {
        var id = (await Client.SaveCodeAsync("gone")).Text("_id");
        App.Clock.Advance(TimeSpan.FromMinutes(6));
        await App.Get<LoginStore>().ExpireStaleAsync(CancellationToken.None);

        var reply = await Client.PostJsonAsync("/wx/loginsync", new { pgv_si = "gone", name = "n", wxuin = "1" });

        Assert.Equal((HttpStatusCode.Conflict, 7), (reply.Status, reply.Code));
        Assert.Equal("expired", (await Client.GetReplyAsync($"/wx/status?_id={id}")).Text("status"));
    }

    [Fact]
    public async Task Loginsync_of_a_code_past_its_lifetime_is_409_even_before_the_timer_runs()
    {
        var id = (await Client.SaveCodeAsync("late")).Text("_id");
        App.Clock.Advance(TimeSpan.FromMinutes(5));

        var reply = await Client.PostJsonAsync("/wx/loginsync", new { pgv_si = "late", name = "n", wxuin = "1" });

        Assert.Equal((HttpStatusCode.Conflict, 7), (reply.Status, reply.Code));
        Assert.Equal("expired", (await Client.GetReplyAsync($"/wx/status?_id={id}")).Text("status"));
    }

    [Theory]
    [InlineData("a/b+c==")]
    [InlineData("x#y?z")]
    [InlineData("Zm9v/YmFy+cXV4PQ==")]
    [InlineData("with space and 😀")]
    public async Task A_pgv_si_with_key_characters_works_like_a_plain_one(string pgvSi)
    {
        var id = (await Client.SaveCodeAsync(pgvSi)).Text("_id");

        var confirmed = await Client.PostJsonAsync("/wx/loginsync", new { pgv_si = pgvSi, name = "n", wxuin = "9" });

        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        Assert.Equal(id, confirmed.Text("_id"));
        Assert.Equal(pgvSi, confirmed.Text("pgv_si"));
    }

    [Fact]
    public async Task Parameters_come_from_form_fields_and_from_the_query_string_too()
    {
        var fromForm = await Client.PostFormAsync(
            "/wx/savesrc", [new("src", "https://q.example/f"), new("pgv_si", "form")]);
        var fromQuery = await Client.PostRawAsync(
            Wire.Query("/wx/savesrc", ("src", "https://q.example/q"), ("pgv_si", "query")), "", "text/plain");

        Assert.Equal(("form", "https://q.example/f"), (fromForm.Text("pgv_si"), fromForm.Text("src")));
        Assert.Equal(("query", "https://q.example/q"), (fromQuery.Text("pgv_si"), fromQuery.Text("src")));
    }

    [Fact]
    public async Task Status_called_directly_on_the_function_class_answers_the_envelope()
    {
        var id = (await Client.SaveCodeAsync("direct")).Text("_id");

        var result = Direct.Envelope(await App.Function<LoginFunctions>().Status(Direct.Query($"_id={id}")));

        Assert.Equal((200, 0), (result.Status, result.Code));
        Assert.Equal(id, Assert.IsType<Login>(result.Value).Id);
    }

    [GeneratedRegex("^[0-9a-f]{24}$")]
    private static partial Regex IdShape();
}
