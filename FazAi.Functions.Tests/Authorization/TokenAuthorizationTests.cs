using System.Net;
using System.Net.Http.Headers;
using FazAi.Functions.Logins;
using FazAi.Functions.Messages;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Authorization;

/// <summary>Every <c>/user/</c> call needs an online, fresh login of the very account it asks about.</summary>
public sealed class TokenAuthorizationTests : AppTests
{
    private const string Wxuin = "207364874";
    private const string Other = "31415926";

    protected override async Task ArrangeAsync()
    {
        await Client.SaveGroupsAsync(Wxuin, [Messaging.Group("mine", "@@mine")]);
        await Client.SaveGroupsAsync(Other, [Messaging.Group("theirs", "@@theirs")]);
    }

    /// <summary>One valid call of each <c>/user/</c> endpoint of this issue, for <see cref="Wxuin"/>.</summary>
    public static TheoryData<string, string> UserCalls => new()
    {
        { "GET", $"/user/groups?wxuin={Wxuin}" },
        { "GET", $"/user/message/show?wxuin={Wxuin}&status=wait" },
        { "GET", $"/user/message/send?wxuin={Wxuin}&status=edit" },
        { "POST", $"/user/message/send?wxuin={Wxuin}&status=edit" },
        { "DELETE", $"/user/message/delete?wxuin={Wxuin}&_id=587c8307611ff013701310ee" },
        { "POST", $"/user/message/delete?wxuin={Wxuin}&_id=587c8307611ff013701310ee" },
    };

    [Theory]
    [MemberData(nameof(UserCalls))]
    public async Task A_call_without_a_token_is_401_and_reads_nothing(string method, string path)
    {
        var reply = await CallAsync(method, path, _ => { });

        AssertRefused(reply, HttpStatusCode.Unauthorized, 3);
        Assert.Equal(0, App.Requests.Count);
    }

    [Theory]
    [MemberData(nameof(UserCalls))]
    public async Task A_token_of_another_account_is_403_and_reads_only_the_token(string method, string path)
    {
        var token = await Client.LogInAsync(Other);
        App.Requests.Reset();

        var reply = await CallAsync(method, path, h => h.Add("token", token));

        AssertRefused(reply, HttpStatusCode.Forbidden, 3);
        Assert.Equal(1, App.Requests.Count);
    }

    [Theory]
    [MemberData(nameof(UserCalls))]
    public async Task The_token_works_in_header_token_and_as_a_bearer_token(string method, string path)
    {
        var token = await Client.LogInAsync(Wxuin);

        var inTokenHeader = await CallAsync(method, path, h => h.Add("token", token));
        var asBearer = await CallAsync(
            method, path, h => h.Authorization = new AuthenticationHeaderValue("Bearer", token));

        // Deleting an id nobody has is a 404: the call got past the token check.
        var expected = path.Contains("delete") ? HttpStatusCode.NotFound : HttpStatusCode.OK;
        Assert.Equal((expected, expected), (inTokenHeader.Status, asBearer.Status));
    }

    [Theory]
    [InlineData("token", "")]
    [InlineData("token", "abc")]
    [InlineData("token", "587C8307611FF013701310EE")]
    [InlineData("token", "587c8307611ff013701310ee0")]
    [InlineData("token", "587c8307611ff013701310e'")]
    [InlineData("Authorization", "Bearer")]
    [InlineData("Authorization", "Bearer ")]
    [InlineData("Authorization", "Basic NTg3YzgzMDc2MTFmZjAxMzcwMTMxMGVlOg==")]
    [InlineData("Authorization", "587c8307611ff013701310ee")]
    public async Task A_malformed_token_is_401(string header, string value)
    {
        var reply = await CallAsync(
            "GET", $"/user/groups?wxuin={Wxuin}", h => h.TryAddWithoutValidation(header, value));

        AssertRefused(reply, HttpStatusCode.Unauthorized, 3);
    }

    [Fact]
    public async Task A_well_formed_token_that_is_no_login_is_401()
    {
        var reply = await Client.GetReplyAsync($"/user/groups?wxuin={Wxuin}", "587c8307611ff013701310ee");

        AssertRefused(reply, HttpStatusCode.Unauthorized, 3);
    }

    [Theory]
    [InlineData(LoginStatus.Wait)]
    [InlineData(LoginStatus.Scanning)]
    [InlineData(LoginStatus.Expired)]
    public async Task The_id_of_a_login_that_is_not_online_is_401(string status)
    {
        var id = (await Client.SaveCodeAsync("p")).Text("_id");
        if (status != LoginStatus.Wait)
        {
            await Client.GetReplyAsync("/wx/login");
        }

        if (status == LoginStatus.Expired)
        {
            App.Clock.Advance(TimeSpan.FromMinutes(6));
            await App.Get<LoginStore>().ExpireStaleAsync(CancellationToken.None);
        }

        var reply = await Client.GetReplyAsync($"/user/groups?wxuin={Wxuin}", id);

        AssertRefused(reply, HttpStatusCode.Unauthorized, 3);
    }

    [Fact]
    public async Task A_token_works_until_the_session_lifetime_and_not_after()
    {
        var token = await Client.LogInAsync(Wxuin);

        App.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(HttpStatusCode.OK, (await Client.GetReplyAsync($"/user/groups?wxuin={Wxuin}", token)).Status);
        App.Clock.Advance(TimeSpan.FromMilliseconds(1));

        var reply = await Client.GetReplyAsync($"/user/groups?wxuin={Wxuin}", token);
        AssertRefused(reply, HttpStatusCode.Unauthorized, 3);
    }

    [Fact]
    public async Task Refreshing_the_qr_code_of_a_login_ends_its_session()
    {
        var token = await Client.LogInAsync(Wxuin);

        await Client.PostJsonAsync("/wx/savesrc", new { _id = token, src = "https://q.example/new", pgv_si = "p" });

        var reply = await Client.GetReplyAsync($"/user/groups?wxuin={Wxuin}", token);
        AssertRefused(reply, HttpStatusCode.Unauthorized, 3);
    }

    [Fact]
    public async Task The_token_is_checked_before_the_parameters()
    {
        var reply = await Client.PostRawAsync("/user/message/send", "not json", "application/json");

        AssertRefused(reply, HttpStatusCode.Unauthorized, 3);
    }

    [Fact]
    public async Task A_wxuin_in_the_body_is_held_to_the_token_like_one_in_the_query()
    {
        var token = await Client.LogInAsync(Other);

        var reply = await Client.SendMessageAsync(token, new { wxuin = Wxuin, status = "edit" });

        AssertRefused(reply, HttpStatusCode.Forbidden, 3);
        Assert.Empty((await Client.ShowAsync(await Client.LogInAsync(Wxuin), Wxuin, "edit")).Array);
    }

    [Fact]
    public async Task A_message_id_of_another_account_is_404_for_its_owner_s_token_and_changes_nothing()
    {
        var theirToken = await Client.LogInAsync(Other);
        var theirs = await Client.ScheduleAsync(theirToken, Other, "@@theirs", App.Clock.Now, "theirs");
        var before = (await Client.ShowAsync(theirToken, Other, "wait")).Array.ToJsonString();
        var myToken = await Client.LogInAsync(Wxuin);

        var update = await Client.SendMessageAsync(myToken, new { _id = theirs, wxuin = Wxuin, status = "edit" });
        var delete = await Client.DeleteMessageAsync(myToken, Wxuin, theirs);

        AssertRefused(update, HttpStatusCode.NotFound, 6);
        AssertRefused(delete, HttpStatusCode.NotFound, 6);
        Assert.Equal(before, (await Client.ShowAsync(theirToken, Other, "wait")).Array.ToJsonString());
    }

    [Fact]
    public async Task A_message_of_another_account_in_the_same_partition_is_404_and_changes_nothing()
    {
        // Two accounts whose tags collide share a partition: the stored wxuin still keeps them apart.
        var (mine, theirs) = AccountsSharingATag();
        await Client.SaveGroupsAsync(mine, [Messaging.Group("g", "@@g")]);
        await Client.SaveGroupsAsync(theirs, [Messaging.Group("g", "@@g")]);
        var theirToken = await Client.LogInAsync(theirs);
        var id = await Client.ScheduleAsync(theirToken, theirs, "@@g", App.Clock.Now, "theirs");
        var myToken = await Client.LogInAsync(mine);

        var update = await Client.SendMessageAsync(myToken, new { _id = id, wxuin = mine, status = "edit" });
        var delete = await Client.DeleteMessageAsync(myToken, mine, id);

        AssertRefused(update, HttpStatusCode.NotFound, 6);
        AssertRefused(delete, HttpStatusCode.NotFound, 6);
        Assert.Empty((await Client.ShowAsync(myToken, mine, "wait")).Array);
        Assert.Empty((await Client.LeaseAsync(mine)).Array);
        var kept = await Client.ShowAsync(theirToken, theirs, "wait");
        Assert.Equal("theirs", Assert.Single(kept.Array)!["content"]!.GetValue<string>());
    }

    private static (string, string) AccountsSharingATag()
    {
        var seen = new Dictionary<string, string>();
        for (var i = 0; ; i++)
        {
            var wxuin = $"u{i}";
            if (seen.TryGetValue(MessageRows.TagOf(wxuin), out var earlier))
            {
                return (earlier, wxuin);
            }

            seen[MessageRows.TagOf(wxuin)] = wxuin;
        }
    }

    private async Task<Reply> CallAsync(string method, string path, Action<HttpRequestHeaders> headers)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        headers(request.Headers);
        App.Requests.Reset();
        return await Wire.SendAsync(Client, request);
    }

    private static void AssertRefused(Reply reply, HttpStatusCode status, int code)
    {
        Assert.Equal((status, code), (reply.Status, reply.Code));
        Assert.Null(reply.Value);
        Assert.Equal("application/json; charset=utf-8", reply.ContentType);
    }
}
