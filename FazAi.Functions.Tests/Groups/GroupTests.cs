using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Groups;

/// <summary>The account's group set: saved whole by the window, listed for the person, targeted by messages.</summary>
public sealed class GroupTests : AppTests
{
    private const string Wxuin = "207364874";

    [Fact]
    public async Task Saving_replaces_the_set_and_a_sign_saved_again_keeps_its_id()
    {
        var first = await Client.SaveGroupsAsync(Wxuin, [Messaging.Group("A", "@@a"), Messaging.Group("B", "@@b")]);
        var idOfA = IdOf(first, "@@a");

        var second = await Client.SaveGroupsAsync(
            Wxuin, [Messaging.Group("A renamed", "@@a"), Messaging.Group("C", "@@c")]);

        Assert.Equal(idOfA, IdOf(second, "@@a"));
        var listed = await ListAsync(Wxuin);
        Assert.Equal([("A renamed", "@@a"), ("C", "@@c")], Pairs(listed));
        Assert.Equal(idOfA, IdOf(listed, "@@a"));
        Assert.All(listed.Array, g => Assert.Equal(("207364874", "小奇"), (Text(g, "wxuin"), Text(g, "wxname"))));
    }

    [Fact]
    public async Task Duplicate_signs_in_one_save_keep_the_last()
    {
        await Client.SaveGroupsAsync(Wxuin, [Messaging.Group("first", "@@same"), Messaging.Group("last", "@@same")]);

        Assert.Equal([("last", "@@same")], Pairs(await ListAsync(Wxuin)));
    }

    [Fact]
    public async Task An_empty_array_clears_the_set()
    {
        await Client.SaveGroupsAsync(Wxuin, [Messaging.Group("A", "@@a")]);

        await Client.SaveGroupsAsync(Wxuin, []);

        Assert.Empty((await ListAsync(Wxuin)).Array);
    }

    [Fact]
    public async Task Loginsync_with_chatGroup_saves_the_groups()
    {
        var token = await Client.LogInAsync(Wxuin, "小奇", [Messaging.Group("测试群", "@@x")]);

        var listed = await Client.GetReplyAsync(Wire.Query("/user/groups", ("wxuin", Wxuin)), token);

        Assert.Equal([("测试群", "@@x")], Pairs(listed));
    }

    [Fact]
    public async Task Names_and_signs_with_emoji_quotes_commas_slashes_and_tabs_round_trip_byte_exact()
    {
        (string Name, string Sign)[] groups =
        [
            ("O'Brien's group 😀", "@@O'Brien's sign 😀"),
            ("a, b, c", "@@x,y,z"),
            ("/ \\ # ?", "@@/ \\ # ? %2F"),
            ("tab\there", "@@tab\tsign"),
            ("\"quoted\" <b>&amp;</b>", "@\"q\""),
            ("家人群 (2024) 100%", "@@家人群 100%"),
            (string.Concat(Enumerable.Repeat("😀", 128)), new string('字', 256)),
        ];
        await Client.SaveGroupsAsync(Wxuin, groups.Select(g => Messaging.Group(g.Name, g.Sign)));
        var token = await Client.LogInAsync(Wxuin);

        var listed = await Client.GetReplyAsync(Wire.Query("/user/groups", ("wxuin", Wxuin)), token);
        Assert.Equal(groups.OrderBy(g => g.Sign, StringComparer.Ordinal), Pairs(listed));

        var message = await Client.SendMessageAsync(token, new
        {
            wxuin = Wxuin,
            wxname = "小奇",
            sendTime = App.Clock.Now.ToUnixTimeMilliseconds(),
            type = "text",
            content = "hi",
            targetGroup = groups.Select(g => new { sign = g.Sign }),
        });
        Assert.Equal(HttpStatusCode.OK, message.Status);
        Assert.Equal(groups, Targets(message.Object));
        var leased = Assert.Single((await Client.LeaseAsync(Wxuin)).Array)!;
        Assert.Equal(groups, Targets(leased.AsObject()));
    }

    [Fact]
    public async Task A_wxuin_with_key_characters_has_its_own_groups()
    {
        const string odd = "u/12#3?4";
        await Client.SaveGroupsAsync(odd, [Messaging.Group("odd", "@@odd")]);
        await Client.SaveGroupsAsync("u", [Messaging.Group("plain", "@@plain")]);
        var token = await Client.LogInAsync(odd);

        var listed = await Client.GetReplyAsync(Wire.Query("/user/groups", ("wxuin", odd)), token);

        Assert.Equal([("odd", "@@odd")], Pairs(listed));
    }

    [Fact]
    public async Task Groups_may_come_as_a_json_encoded_form_field()
    {
        var reply = await Client.PostFormAsync(
            "/wx/save/group",
            [new("wxuin", Wxuin), new("wxname", "n"), new("groups", """[{"groupname":"f","groupsign":"@@f"}]""")]);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal([("f", "@@f")], Pairs(await ListAsync(Wxuin)));
    }

    [Fact]
    public async Task Groups_of_one_account_are_not_listed_for_another()
    {
        await Client.SaveGroupsAsync("someone-else", [Messaging.Group("theirs", "@@theirs")]);
        await Client.SaveGroupsAsync(Wxuin, [Messaging.Group("mine", "@@mine")]);

        Assert.Equal([("mine", "@@mine")], Pairs(await ListAsync(Wxuin)));
    }

    [Fact]
    public async Task Groups_1005_are_saved_in_batches_and_listed_completely_with_one_read_per_1000()
    {
        var groups = Enumerable.Range(0, 1005).Select(i => Messaging.Group($"群 {i}", $"@@{i:D5}")).ToList();
        var token = await Client.LogInAsync(Wxuin);
        App.Requests.Reset();

        await Client.SaveGroupsAsync(Wxuin, groups);
        Assert.Equal(1 + 11, App.Requests.Count);
        App.Requests.Reset();

        var listed = await Client.GetReplyAsync(Wire.Query("/user/groups", ("wxuin", Wxuin)), token);

        Assert.Equal(1 + 2, App.Requests.Count);
        Assert.Equal(
            Enumerable.Range(0, 1005).Select(i => $"@@{i:D5}"), listed.Array.Select(g => Text(g, "groupsign")));
    }

    [Fact]
    public async Task Five_thousand_groups_in_one_save_are_all_kept()
    {
        var groups = Enumerable.Range(0, 5000).Select(i => Messaging.Group($"g{i}", $"@@{i:D5}"));

        var reply = await Client.SaveGroupsAsync(Wxuin, groups);

        Assert.Equal(5000, reply.Array.Count);
        Assert.Equal(5000, (await ListAsync(Wxuin)).Array.Count);
    }

    [Fact]
    public async Task Saving_the_same_set_again_writes_nothing()
    {
        var groups = new[] { Messaging.Group("A", "@@a"), Messaging.Group("B", "@@b") };
        await Client.SaveGroupsAsync(Wxuin, groups);
        App.Requests.Reset();

        await Client.SaveGroupsAsync(Wxuin, groups);

        Assert.Equal(1, App.Requests.Count);
    }

    [Fact]
    public async Task Concurrent_saves_for_one_account_end_with_exactly_one_of_the_submitted_sets()
    {
        // Overlapping sets of 250 groups: each save takes three batches, so saves interleave unless guarded.
        var sets = Enumerable.Range(0, 5)
            .Select(k => Enumerable.Range(k * 50, 250).Select(i => ($"set {k} group {i}", $"@@{i:D4}")).ToList())
            .ToList();
        await Client.SaveGroupsAsync(Wxuin, sets[0].Select(g => Messaging.Group(g.Item1, g.Item2)));

        var replies = await Task.WhenAll(sets.Select(set => Client.PostJsonAsync(
            "/wx/save/group",
            new { wxuin = Wxuin, wxname = "小奇", groups = set.Select(g => Messaging.Group(g.Item1, g.Item2)) })));

        Assert.All(replies, r => Assert.True(r.Status is HttpStatusCode.OK or HttpStatusCode.Conflict, r.ToString()));
        Assert.Contains(replies, r => r.Status == HttpStatusCode.OK);
        var stored = Pairs(await ListAsync(Wxuin));
        Assert.Contains(sets, set => set.OrderBy(g => g.Item2, StringComparer.Ordinal).SequenceEqual(stored));
    }

    public static TheoryData<string, string> BadSaves => new()
    {
        { """{"wxname":"n","groups":[]}""", "wxuin" },
        { """{"wxuin":"1","groups":[]}""", "wxname" },
        { """{"wxuin":"1","wxname":"n"}""", "groups" },
        { """{"wxuin":"1","wxname":"n","groups":"nope"}""", "groups" },
        { """{"wxuin":"1","wxname":"n","groups":{"groupname":"a","groupsign":"@@a"}}""", "groups" },
        { """{"wxuin":"1","wxname":"n","groups":42}""", "groups" },
        { """{"wxuin":"1","wxname":"n","groups":["@@a"]}""", "groups[0]" },
        { """{"wxuin":"1","wxname":"n","groups":[{"groupname":"a"}]}""", "groups[0].groupsign" },
        { """{"wxuin":"1","wxname":"n","groups":[{"groupname":"a","groupsign":""}]}""", "groups[0].groupsign" },
        { """{"wxuin":"1","wxname":"n","groups":[{"groupname":"a","groupsign":42}]}""", "groups[0].groupsign" },
        { """{"wxuin":"1","wxname":"n","groups":[{"groupname":["a"],"groupsign":"@@a"}]}""", "groups[0].groupname" },
        { """{"wxuin":"1","wxname":"n","groups":[{"groupname":"\u0000","groupsign":"@@a"}]}""", "groups[0].groupname" },
        { """{"wxuin":"1","wxname":"n","groups":[{"groupname":"a","groupsign":"\udc00"}]}""", "groups[0].groupsign" },
    };

    [Theory]
    [MemberData(nameof(BadSaves))]
    public async Task Save_with_a_bad_parameter_is_400_naming_it_and_saves_nothing(string body, string parameter)
    {
        var reply = await Client.PostRawAsync("/wx/save/group", body, "application/json");

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        Assert.Contains(parameter, reply.Info);
        Assert.Null(reply.Value);
        Assert.Equal(0, await RowsAsync());
    }

    [Theory]
    [InlineData("groupname", "x", 100 * 1024)]
    [InlineData("groupname", "😀", 16_500)]
    [InlineData("groupsign", "x", 257)]
    [InlineData("groupsign", "字", 100 * 1024)]
    public async Task An_oversized_name_or_sign_is_400_naming_it_and_saves_nothing(string field, string unit, int count)
    {
        var text = string.Concat(Enumerable.Repeat(unit, count));
        var group = new JsonObject { ["groupname"] = "n", ["groupsign"] = "@@s", [field] = text };

        var reply = await Client.PostJsonAsync(
            "/wx/save/group",
            new { wxuin = Wxuin, wxname = "n", groups = new[] { Messaging.Group("ok", "@@ok"), (object)group } });

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        Assert.Contains($"groups[1].{field}", reply.Info);
        Assert.Equal(0, await RowsAsync());
    }

    [Fact]
    public async Task A_megabyte_of_junk_is_400_and_saves_nothing()
    {
        var junk = string.Concat(Enumerable.Repeat("{\"groups\":[}", 1024 * 1024 / 12));

        var reply = await Client.PostRawAsync("/wx/save/group", junk, "application/json");

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        Assert.Equal(0, await RowsAsync());
    }

    private async Task<Reply> ListAsync(string wxuin)
    {
        var token = await Client.LogInAsync(wxuin);
        var reply = await Client.GetReplyAsync(Wire.Query("/user/groups", ("wxuin", wxuin)), token);
        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        return reply;
    }

    private async Task<int> RowsAsync()
    {
        var rows = 0;
        await foreach (var _ in App.Storage.Groups.QueryAsync<TableEntity>())
        {
            rows++;
        }

        return rows;
    }

    private static List<(string Name, string Sign)> Pairs(Reply reply) =>
        [
            .. reply.Array.Select(g => (Text(g, "groupname"), Text(g, "groupsign")))
                .OrderBy(p => p.Item2, StringComparer.Ordinal),
        ];

    private static List<(string Name, string Sign)> Targets(JsonObject message) =>
        [.. message["targetGroup"]!.AsArray().Select(t => (Text(t, "name"), Text(t, "sign")))];

    private static string IdOf(Reply reply, string sign) =>
        Text(reply.Array.Single(g => Text(g, "groupsign") == sign), "_id");

    private static string Text(JsonNode? node, string field) => node![field]!.GetValue<string>();
}
