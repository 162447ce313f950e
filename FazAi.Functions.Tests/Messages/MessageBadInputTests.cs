using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Messages;

/// <summary>Every bad input of <c>/user/message/send</c> gets a 400 naming the parameter, and writes nothing.</summary>
public sealed class MessageBadInputTests : AppTests
{
    private const string Wxuin = "207364874";

    private readonly Dictionary<string, string> _materialNames = [];
    private string _token = null!;

    protected override async Task ArrangeAsync()
    {
        await Client.SaveGroupsAsync(Wxuin, [Messaging.Group("g", "@@g"), Messaging.Group("O'Brien's 😀", "@@o")]);
        _token = await Client.LogInAsync(Wxuin);
    }

    /// <summary>A valid scheduled message; each case changes one property (null removes it).</summary>
    private static JsonObject Valid() => new()
    {
        ["wxuin"] = Wxuin,
        ["wxname"] = "小奇",
        ["theme"] = "t",
        ["sendTime"] = 1700000000000L,
        ["targetGroup"] = new JsonArray(new JsonObject { ["name"] = "g", ["sign"] = "@@g" }),
        ["type"] = "text",
        ["content"] = "hello",
    };

    public static TheoryData<string, string, string> BadFields => new()
    {
        // property, its JSON value ("-" removes it), the parameter the answer must name
        { "targetGroup", """[{"sign":"@@nope"}]""", "@@nope" },
        { "targetGroup", """[{"sign":"@@g"},{"sign":"@@missing'one"}]""", "@@missing'one" },
        { "targetGroup", """[{"sign":"@@G"}]""", "@@G" },
        { "targetGroup", """[{"sign":"@@g\t"}]""", "targetGroup" },
        { "targetGroup", "\"nope\"", "targetGroup" },
        { "targetGroup", """{"sign":"@@g"}""", "targetGroup" },
        { "targetGroup", "[]", "targetGroup" },
        { "targetGroup", "-", "targetGroup" },
        { "targetGroup", "[42]", "targetGroup[0]" },
        { "targetGroup", """[{"name":"g"}]""", "targetGroup[0].sign" },
        { "targetGroup", """[{"sign":""}]""", "targetGroup[0].sign" },
        { "targetGroup", """[{"sign":42}]""", "targetGroup[0].sign" },
        { "targetGroup", """[{"sign":"@@g","name":{}}]""", "targetGroup[0].name" },
        { "type", "\"video\"", "type" },
        { "type", "\"\"", "type" },
        { "type", "\"TEXT\"", "type" },
        { "type", "1", "type" },
        { "type", "-", "type" },
        { "content", "-", "content" },
        { "content", "\"\"", "content" },
        { "content", "\"   \"", "content" },
        { "content", "\"\\t\\n \"", "content" },
        { "content", "[\"a\"]", "content" },
        { "sendTime", "\"abc\"", "sendTime" },
        { "sendTime", "\"\"", "sendTime" },
        { "sendTime", "1.7e12", "sendTime" },
        { "sendTime", "1700000000000.5", "sendTime" },
        { "sendTime", "-1", "sendTime" },
        { "sendTime", "\"-1\"", "sendTime" },
        { "sendTime", "99999999999999999999", "sendTime" },
        { "sendTime", "\"99999999999999999999\"", "sendTime" },
        { "sendTime", "\"946684799999\"", "sendTime" },
        { "sendTime", "253402300800000", "sendTime" },
        { "sendTime", "\"12:00Z\"", "sendTime" },
        { "sendTime", "\"2023-11-15T06:13:20\"", "sendTime" },
        { "sendTime", "\"2023-11-15\"", "sendTime" },
        { "sendTime", "\"Tue, 14 Nov 2023 22:13:20 +08:00\"", "sendTime" },
        { "sendTime", "\"１７００００００００００００\"", "sendTime" },
        { "sendTime", "true", "sendTime" },
        { "sendTime", "-", "sendTime" },
        { "status", "\"sending\"", "status" },
        { "status", "\"send\"", "status" },
        { "status", "\"failed\"", "status" },
        { "status", "\"EDIT\"", "status" },
        { "status", "\"\"", "status" },
        { "wxname", "-", "wxname" },
        { "wxname", "\"   \"", "wxname" },
        { "theme", "42", "theme" },
        { "_id", "\"123\"", "_id" },
        { "_id", "\"587C8307611FF013701310EE\"", "_id" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task Send_with_a_bad_parameter_is_400_naming_it_and_writes_nothing(
        string property, string json, string named)
    {
        var body = Valid();
        body[property] = json == "-" ? null : JsonNode.Parse(json);
        if (json == "-")
        {
            body.Remove(property);
        }

        var reply = await Client.SendMessageAsync(_token, body);

        AssertBadParameter(reply, named);
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData("content", 200 * 1024)]
    [InlineData("content", 10_001)]
    [InlineData("theme", 257)]
    [InlineData("wxname", 257)]
    public async Task An_oversized_text_is_400_naming_it(string property, int length)
    {
        var body = Valid();
        body[property] = new string('字', length);

        AssertBadParameter(await Client.SendMessageAsync(_token, body), property);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Content_of_10000_characters_is_accepted()
    {
        var body = Valid();
        body["content"] = string.Concat(Enumerable.Repeat("字😀\n", 1500)) + new string('x', 4000);

        var reply = await Client.SendMessageAsync(_token, body);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(body["content"]!.GetValue<string>(), reply.Text("content"));
    }

    [Fact]
    public async Task More_than_200_targets_is_400()
    {
        var body = Valid();
        body["targetGroup"] = Targets(Enumerable.Range(0, 201).Select(i => $"@@{i}"));

        AssertBadParameter(await Client.SendMessageAsync(_token, body), "targetGroup");
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task The_largest_targets_are_stored_across_properties_and_read_back_whole()
    {
        var (names, signs) = LargestTargets();
        await Client.SaveGroupsAsync(Wxuin, names.Zip(signs, Messaging.Group));
        var body = Valid();
        body["targetGroup"] = Targets(signs);

        var reply = await Client.SendMessageAsync(_token, body);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var listed = (await Client.ShowAsync(_token, Wxuin, "wait")).Array[0]!["targetGroup"]!.AsArray();
        Assert.Equal(
            names.Zip(signs), listed.Select(t => (t!["name"]!.GetValue<string>(), t["sign"]!.GetValue<string>())));
    }

    [Fact]
    public async Task Messages_with_the_largest_targets_are_leased_in_transactions_within_the_size_limit()
    {
        var (names, signs) = LargestTargets();
        await Client.SaveGroupsAsync(Wxuin, names.Zip(signs, Messaging.Group));
        var body = Valid();
        body["targetGroup"] = Targets(signs);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Client.SendMessageAsync(_token, body.DeepClone())).Status);
        }

        App.Requests.Reset();

        var leased = await Client.LeaseAsync(Wxuin);

        Assert.Equal(3, leased.Array.Count);
        Assert.Equal(2 + 2, App.Requests.Count);
        Assert.All(leased.Array, m => Assert.Equal(200, m!["targetGroup"]!.AsArray().Count));
    }

    /// <summary>200 groups whose names and signs are as long as allowed and written twice as long in JSON.</summary>
    private static (List<string> Names, List<string> Signs) LargestTargets()
    {
        var emoji = string.Concat(Enumerable.Repeat("😀", 25));
        return ([.. Enumerable.Range(0, 200).Select(i => $"{i:D3}" + new string('"', 253))],
            [.. Enumerable.Range(0, 200).Select(i => $"@@{i:D3}" + new string('\\', 200) + emoji)]);
    }

    private static JsonArray Targets(IEnumerable<string> signs) =>
        new([.. signs.Select(sign => (JsonNode)new JsonObject { ["sign"] = sign })]);

    [Fact]
    public async Task A_draft_needs_only_wxuin()
    {
        var reply = await Client.SendMessageAsync(_token, new { wxuin = Wxuin, status = "edit" });

        Assert.Equal((HttpStatusCode.OK, "edit"), (reply.Status, reply.Text("status")));
        Assert.All(["wxname", "theme", "type", "content", "sendTime"], field => Assert.Null(reply.Object[field]));
    }

    [Theory]
    [InlineData("targetGroup", """[{"sign":"@@nope"}]""", "@@nope")]
    [InlineData("sendTime", "\"abc\"", "sendTime")]
    [InlineData("type", "\"video\"", "type")]
    [InlineData("content", "\"other/image/a.jpg\"", "content")]
    [InlineData("theme", "[]", "theme")]
    public async Task A_draft_is_still_checked_in_whatever_it_has(string property, string json, string named)
    {
        var body = new JsonObject { ["wxuin"] = Wxuin, ["status"] = "edit", [property] = JsonNode.Parse(json) };
        if (property == "content")
        {
            body["type"] = "image";
        }

        AssertBadParameter(await Client.SendMessageAsync(_token, body), named);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Updating_an_unknown_id_is_404_and_writes_nothing()
    {
        var body = Valid();
        body["_id"] = "587c8307611ff013701310ee";

        var reply = await Client.SendMessageAsync(_token, body);

        Assert.Equal((HttpStatusCode.NotFound, 6), (reply.Status, reply.Code));
        Assert.Null(reply.Value);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_rejected_update_leaves_the_message_as_it_was()
    {
        var id = await Client.ScheduleAsync(_token, Wxuin, "@@g", App.Clock.Now, "kept");
        var before = (await Client.ShowAsync(_token, Wxuin, "wait")).Array.ToJsonString();
        var body = Valid();
        body["_id"] = id;
        body["targetGroup"] = JsonNode.Parse("""[{"sign":"@@g"},{"sign":"@@gone"}]""");

        AssertBadParameter(await Client.SendMessageAsync(_token, body), "@@gone");

        Assert.Equal(before, (await Client.ShowAsync(_token, Wxuin, "wait")).Array.ToJsonString());
    }

    public static TheoryData<string, string, string> BadMaterialContents => new()
    {
        // type, content ({w} is the account), what the answer must name
        { "image", "other/image/ok.jpg", "content" },
        { "image", "{w}/mp3/ok.mp3", "content" },
        { "mp3", "{w}/image/ok.jpg", "content" },
        { "image", "{w}/image/", "content" },
        { "image", "{w}/image/a/b.jpg", "content" },
        { "image", "{w}/image/../mp3/ok.mp3", "content" },
        { "image", "{w}/image/ok.jpg,", "content" },
        { "image", "{w}/image/ok.jpg, {w}/image/ok2.jpg", "content" },
        { "image", "{w}/image/missing.jpg", "missing.jpg" },
        { "image", "{w}/image/ok.jpg,{w}/image/missing.jpg", "missing.jpg" },
        { "mp3", "{w}/mp3/ok.jpg", "ok.jpg" },
        { "image", "https://example.com/a.jpg", "content" },
    };

    [Theory]
    [MemberData(nameof(BadMaterialContents))]
    public async Task An_image_or_mp3_message_naming_anything_but_the_account_s_own_material_is_400(
        string type, string content, string named)
    {
        await SeedMaterialsAsync(Wxuin, "image:ok.jpg", "image:ok2.jpg", "mp3:ok.mp3");
        var body = Valid();
        body["type"] = type;
        body["content"] = Real(content.Replace("{w}", Wxuin));

        AssertBadParameter(await Client.SendMessageAsync(_token, body), Real(named));
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task The_material_of_another_account_is_not_the_account_s_own()
    {
        await SeedMaterialsAsync("other", "image:ok.jpg");
        var body = Valid();
        body["type"] = "image";
        body["content"] = Real($"{Wxuin}/image/ok.jpg");

        AssertBadParameter(await Client.SendMessageAsync(_token, body), Real("ok.jpg"));
    }

    [Theory]
    [InlineData("image", "{w}/image/ok.jpg")]
    [InlineData("image", "{w}/image/ok.jpg,{w}/image/ok2.jpg,{w}/image/ok.jpg")]
    [InlineData("mp3", "{w}/mp3/ok.mp3")]
    public async Task An_image_or_mp3_message_of_the_account_s_own_materials_is_saved(string type, string content)
    {
        await SeedMaterialsAsync(Wxuin, "image:ok.jpg", "image:ok2.jpg", "mp3:ok.mp3");
        var body = Valid();
        body["type"] = type;
        body["content"] = Real(content.Replace("{w}", Wxuin));

        var reply = await Client.SendMessageAsync(_token, body);

        Assert.Equal((HttpStatusCode.OK, body["content"]!.GetValue<string>()), (reply.Status, reply.Text("content")));
    }

    [Fact]
    public async Task Material_paths_of_a_wxuin_with_commas_and_slashes_are_matched_whole()
    {
        const string odd = "u/1,2";
        await Client.SaveGroupsAsync(odd, [Messaging.Group("g", "@@g")]);
        var token = await Client.LogInAsync(odd);
        await UploadMaterialsAsync(odd, token, ["image:a.jpg", "image:b.png"]);
        var body = Valid();
        body["wxuin"] = odd;
        body["type"] = "image";
        body["content"] = Real($"{odd}/image/a.jpg,{odd}/image/b.png");

        var reply = await Client.SendMessageAsync(token, body);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task A_wxuin_made_to_break_a_filter_sees_nothing_of_anyone_else()
    {
        const string sly = "x' or PartitionKey ne '";
        await Client.ScheduleAsync(_token, Wxuin, "@@g", App.Clock.Now);
        var token = await Client.LogInAsync(sly);

        Assert.Empty((await Client.GetReplyAsync(Wire.Query("/user/groups", ("wxuin", sly)), token)).Array);
        Assert.Empty((await Client.ShowAsync(token, sly, "wait")).Array);
        Assert.Empty((await Client.LeaseAsync(sly)).Array);
        Assert.Single((await Client.ShowAsync(_token, Wxuin, "wait")).Array);
    }

    private Task SeedMaterialsAsync(string wxuin, params string[] materials) =>
        UploadMaterialsAsync(wxuin, wxuin == Wxuin ? _token : null, materials);

    /// <summary>
    /// Uploads a real fixture for each <c>type:alias</c> through <c>/user/upload</c>; <see cref="Real"/> then turns
    /// each alias (<c>ok.jpg</c>) in a test's text into the name the upload generated.
    /// </summary>
    private async Task UploadMaterialsAsync(string wxuin, string? token, string[] materials)
    {
        token ??= await Client.LogInAsync(wxuin);
        foreach (var material in materials)
        {
            var (type, alias) = (material.Split(':')[0], material.Split(':')[1]);
            var fixture = Path.GetExtension(alias) switch
            {
                ".mp3" => "sample.mp3",
                ".png" => "sample.png",
                _ => "sample.jpg",
            };
            _materialNames[alias] = await Client.UploadOkAsync(token, wxuin, type, Uploads.Fixture(fixture));
        }
    }

    private string Real(string text) =>
        _materialNames.Aggregate(text, (current, alias) => current.Replace(alias.Key, alias.Value));

    private static void AssertBadParameter(Reply reply, string named)
    {
        Assert.True((reply.Status, reply.Code) == (HttpStatusCode.BadRequest, 1), reply.ToString());
        Assert.Contains(named, reply.Info);
        Assert.Null(reply.Value);
    }

    private async Task AssertNothingWrittenAsync()
    {
        var rows = 0;
        await foreach (var _ in App.Storage.Messages.QueryAsync<TableEntity>())
        {
            rows++;
        }

        Assert.Equal(0, rows);
    }
}
