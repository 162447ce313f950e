using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using FazAi.Functions.Http;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Messages;

/// <summary>
/// Times never depend on the server's zone: whatever the process zone, a send time given as epoch milliseconds or
/// with an offset is stored and returned as the same UTC instant.
/// </summary>
public sealed class SendTimeTests : AppTests
{
    private const string Wxuin = "207364874";
    private const string Expected = "2023-11-14T22:13:20.000Z";

    private string _token = null!;

    protected override async Task ArrangeAsync()
    {
        await Client.SaveGroupsAsync(Wxuin, [Messaging.Group("g", "@@g")]);
        _token = await Client.LogInAsync(Wxuin);
    }

    public static TheoryData<JsonNode> SameInstant => new()
    {
        JsonValue.Create(1700000000000L),
        JsonValue.Create("1700000000000"),
        JsonValue.Create("2023-11-15T06:13:20+08:00"),
        JsonValue.Create("2023-11-15T06:13:20.000+08:00"),
        JsonValue.Create("2023-11-14T22:13:20Z"),
        JsonValue.Create("2023-11-14T17:13:20-05:00"),
        JsonValue.Create(ShanghaiText()),
    };

    [Theory]
    [MemberData(nameof(SameInstant))]
    public async Task A_send_time_as_epoch_ms_or_with_an_offset_comes_back_as_the_same_UTC_instant(JsonNode sendTime)
    {
        var body = new JsonObject
        {
            ["wxuin"] = Wxuin,
            ["wxname"] = "n",
            ["type"] = "text",
            ["content"] = "c",
            ["sendTime"] = sendTime.DeepClone(),
            ["targetGroup"] = new JsonArray(new JsonObject { ["sign"] = "@@g" }),
        };

        var reply = await Client.SendMessageAsync(_token, body);

        Assert.Equal((HttpStatusCode.OK, Expected), (reply.Status, reply.Text("sendTime")));
        var listed = await Client.ShowAsync(_token, Wxuin, "wait");
        Assert.Equal(Expected, listed.Array[0]!["sendTime"]!.GetValue<string>());
    }

    [Fact]
    public void A_time_in_Shanghai_is_written_as_UTC_with_milliseconds()
    {
        var shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000), shanghai);

        Assert.Equal(TimeSpan.FromHours(8), local.Offset);
        Assert.Equal(Expected, WireTime.Write(local));
        var text = local.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
        Assert.Equal("2023-11-15T06:13:20.000+08:00", text);
        Assert.True(WireTime.TryParse(text, out var parsed));
        Assert.Equal(Expected, WireTime.Write(parsed));
    }

    /// <summary>The instant as a person in Shanghai would write it: local wall time and +08:00.</summary>
    private static string ShanghaiText()
    {
        var shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000), shanghai);
        return local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }
}
