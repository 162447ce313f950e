using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FazAi.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FazAi.Functions.Tests.Hardening;

/// <summary>
/// Random and mutated requests against every HTTP function the app serves: whatever arrives, the answer is a
/// well-formed envelope (a file download may answer with bytes), never a 500, and a refused request writes nothing.
/// The seed is fixed so a failure replays; set FAZAI_FUZZ_SEED and FAZAI_FUZZ_COUNT to explore further.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class FuzzTests(ITestOutputHelper output) : AppTests
{
    private const string WxUin = "207364874";

    private static readonly string[] Names =
    [
        "_id", "src", "pgv_si", "name", "wxuin", "uin", "chatGroup", "wxname", "groups", "sendTime", "targetGroup",
        "type", "content", "theme", "status", "result", "error",
    ];

    private string _token = "";
    private Random _random = null!;
    private readonly Dictionary<string, int> _answers = [];

    protected override async Task ArrangeAsync()
    {
        _token = await Client.LogInAsync(WxUin, chatGroup: [new { groupname = "g", groupsign = "@@1" }]);
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FAZAI_FUZZ_SEED"), out var s) ? s : 20261204;
        _random = new Random(seed);
        output.WriteLine($"seed {seed}");
    }

    [Fact]
    public async Task
        Every_endpoint_answers_random_requests_with_an_envelope_never_a_500_and_writes_nothing_when_refusing()
    {
        var perFunction = int.TryParse(Environment.GetEnvironmentVariable("FAZAI_FUZZ_COUNT"), out var n) ? n : 120;
        var problems = new List<string>();

        foreach (var function in FunctionsTestHost.Discover())
        {
            for (var i = 0; i < perFunction; i++)
            {
                foreach (var method in function.Methods)
                {
                    var problem = await TryOneAsync(function, method);
                    if (problem is not null)
                    {
                        problems.Add(problem);
                    }
                }
            }
        }

        foreach (var (answer, count) in _answers.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{answer}: {count}");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
    }

    private async Task<string?> TryOneAsync(HttpFunction function, string method)
    {
        var path = "/" + FillRoute(function.Route);
        var (content, description) = Body(method, function.Route);
        var query = _random.Next(3) == 0
            ? "?" + string.Join("&", RandomFields().Select(f =>
                $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"))
            : "";
        using var request = new HttpRequestMessage(new HttpMethod(method), path + query) { Content = content };
        if (_random.Next(4) != 0)
        {
            request.Headers.TryAddWithoutValidation(
                _random.Next(2) == 0 ? "token" : "Authorization",
                _random.Next(2) == 0 ? _token : $"Bearer {_token}");
        }

        App.Requests.Reset();
        using var response = await Client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var where = $"{method} {path + query} [{description}] → {(int)response.StatusCode}";
        var key = $"{function.Name} {(int)response.StatusCode}";
        _answers[key] = _answers.GetValueOrDefault(key) + 1;
        if ((int)response.StatusCode >= 500 && response.StatusCode != HttpStatusCode.ServiceUnavailable)
        {
            return $"{where}: {Encoding.UTF8.GetString(bytes)}";
        }

        // A file download answers with the file; a HEAD answer has no body at all.
        var bodiless = method == "HEAD" ||
            (response.StatusCode == HttpStatusCode.OK &&
                function.Route.StartsWith("user/files/{", StringComparison.Ordinal));
        if (bodiless)
        {
            return null;
        }

        JsonObject envelope;
        try
        {
            envelope = JsonNode.Parse(bytes)!.AsObject();
        }
        catch (Exception)
        {
            return $"{where}: not JSON: {Encoding.UTF8.GetString(bytes.AsSpan(0, Math.Min(200, bytes.Length)))}";
        }

        if (envelope["code"] is null || envelope["info"] is null || !envelope.ContainsKey("value"))
        {
            return $"{where}: not an envelope";
        }

        var code = envelope["code"]!.GetValue<int>();
        var writes = App.Requests.Log.Where(IsWrite).ToList();
        if (code != 0 && writes.Count > 0)
        {
            return $"{where}: refused with code {code} but wrote {string.Join("; ", writes)}";
        }

        return code != 0 && envelope["value"] is not null ? $"{where}: error with a value" : null;
    }

    private static bool IsWrite(string entry) =>
        !entry.Contains(" GET ", StringComparison.Ordinal) && !entry.Contains(" HEAD ", StringComparison.Ordinal);

    private string FillRoute(string route) =>
        route.Replace(
                FazAi.Functions.Http.FallbackFunction.Route,
                Pick(["api/wx/status", "wx", "user/files", "x/y/z", "wx/savesrc/extra"]))
            .Replace("{wxuin}", Uri.EscapeDataString(Pick([WxUin, "other", "u/12#3?4", "%2F..", "😀"])))
            .Replace("{type}", Pick(["image", "mp3", "text", "x"]))
            .Replace(
                "{name}",
                Uri.EscapeDataString(Pick(["1.jpeg", "../x", "a b", "148877007885773.jpeg", ""]))
                    is { Length: > 0 } name ? name : "n");

    /// <summary>A valid body per route, so that mutating one field reaches past the first check.</summary>
    private Dictionary<string, string> Templates() => new()
    {
        ["wx/savesrc"] = """{"src":"https://q.example/x","pgv_si":"fz"}""",
        ["wx/loginsync"] =
            """{"pgv_si":"fz","name":"n","wxuin":"207364874","chatGroup":[{"groupname":"g","groupsign":"@@1"}]}""",
        ["wx/save/group"] = """{"wxuin":"207364874","wxname":"n","groups":[{"groupname":"g","groupsign":"@@1"}]}""",
        ["user/message/send"] =
            """{"wxuin":"207364874","wxname":"n","sendTime":""" +
            """1700000000000,"targetGroup":[{"name":"g","sign":"@@1"}],"type":"text","content":"hi"}""",
        ["user/message/show"] = """{"wxuin":"207364874","status":"wait"}""",
        ["user/message/delete"] = $$"""{"wxuin":"207364874","_id":"{{_token}}"}""",
        ["user/files/show"] = """{"wxuin":"207364874","type":"image"}""",
        ["user/files/delete"] = $$"""{"wxuin":"207364874","_id":"{{_token}}"}""",
        ["wx/message"] = """{"wxuin":"207364874"}""",
        ["wx/message/ack"] = $$"""{"_id":"{{_token}}","result":"send"}""",
        ["wx/status"] = $$"""{"_id":"{{_token}}"}""",
        ["user/groups"] = """{"wxuin":"207364874"}""",
    };

    /// <summary>The route's valid body with one field replaced by a random value, removed, or given twice.</summary>
    private string? MutatedTemplate(string route)
    {
        if (!Templates().TryGetValue(route, out var template))
        {
            return null;
        }

        var body = JsonNode.Parse(template)!.AsObject();
        var field = body.Select(p => p.Key).ToArray()[_random.Next(body.Count)];
        return _random.Next(4) switch
        {
            0 => body.Where(p => p.Key != field)
                .Aggregate("{", (text, p) => text + $"\"{p.Key}\":{p.Value!.ToJsonString()},")
                .TrimEnd(',') + "}",
            1 => template.TrimEnd('}') + $",\"{field}\":{JsonValueText(0)}}}",
            _ => body
                .Aggregate("{", (text, p) =>
                    text + $"\"{p.Key}\":{(p.Key == field ? JsonValueText(0) : p.Value!.ToJsonString())},")
                .TrimEnd(',') + "}",
        };
    }

    private (HttpContent? Content, string Description) Body(string method, string route)
    {
        if (_random.Next(3) == 0 && MutatedTemplate(route) is { } mutated)
        {
            return (Raw(Encoding.UTF8.GetBytes(mutated), "application/json"), "mutated " + Shorten(mutated));
        }

        switch (_random.Next(9))
        {
            case 0:
                return (null, "no body");
            case 1:
                var json = JsonObjectText();
                return (Raw(Encoding.UTF8.GetBytes(json), "application/json"), "json " + Shorten(json));
            case 2:
                var badJson = Pick(["[1,2]", "\"s\"", "{", "{\"a\":}", "nul", "{\"a\":1,\"a\":2}", Deep(200)]);
                return (Raw(Encoding.UTF8.GetBytes(badJson), "application/json"), "bad json");
            case 3:
                return (
                    Raw([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0xFF, 0x22, 0x7D], "application/json"),
                    "invalid utf-8");
            case 4:
                return (new FormUrlEncodedContent(RandomFields()), "form");
            case 5:
                var multipart = new MultipartFormDataContent();
                foreach (var field in RandomFields())
                {
                    multipart.Add(new StringContent(field.Value), field.Key);
                }

                if (_random.Next(2) == 0)
                {
                    multipart.Add(
                        new ByteArrayContent(RandomBytes(_random.Next(0, 4000))),
                        "pics",
                        Pick(["a.jpg", "../../x.jpg", "头像😀.jpg"]));
                }

                return (multipart, "multipart");
            case 6:
                var junk = RandomBytes(1024 * 1024);
                var junkType = Pick(["application/json", "application/x-www-form-urlencoded", "text/plain"]);
                return (Raw(junk, junkType), "1 MiB junk");
            case 7:
                var wellFormed = Encoding.UTF8.GetBytes(JsonObjectText());
                var wrongType = Pick(
                    ["text/plain", "application/xml", "multipart/form-data", "application/x-www-form-urlencoded", ""]);
                return (Raw(wellFormed, wrongType), "wrong content type");
            default:
                var emptyType = Pick(
                    ["application/json", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"]);
                return (Raw([], emptyType), "empty");
        }
    }

    private string JsonObjectText()
    {
        var parts = new List<string>();
        foreach (var name in Names.Where(_ => _random.Next(3) == 0))
        {
            parts.Add($"\"{name}\":{JsonValueText(0)}");
        }

        if (_random.Next(5) == 0 && parts.Count > 0)
        {
            parts.Add(parts[0]);
        }

        return "{" + string.Join(",", parts) + "}";
    }

    private string JsonValueText(int depth) => _random.Next(depth > 2 ? 14 : 18) switch
    {
        0 => $"\"{WxUin}\"",
        1 => $"\"{_token}\"",
        2 => "\"https://q.example/x\"",
        3 => "\"\\ud800\"",
        4 => "\"\"",
        5 => "1700000000000",
        6 => "99999999999999999999999999",
        7 => "-1.5e300",
        8 => "true",
        9 => "null",
        10 => "\"" + Pick(
        [
            "image", "mp3", "text", "edit", "wait", "send", "failed", "sending", "1700000000000", "abc",
            "x' or PartitionKey ne '", "207364874/image/1.jpeg",
        ]) + "\"",
        11 => $"\"{new string('长', _random.Next(1, 40_000))}\"",
        12 => "\"tab\\there\\u0000\"",
        13 => "\"O'Brien's group 😀 a/b\\\\c#d?e\"",
        14 => "[" + string.Join(
            ",", Enumerable.Range(0, _random.Next(0, 4)).Select(_ => JsonValueText(depth + 1))) + "]",
        15 => "{\"groupname\":" + JsonValueText(depth + 1) + ",\"groupsign\":" + JsonValueText(depth + 1) + "}",
        16 => "[{\"name\":\"g\",\"sign\":" + JsonValueText(depth + 1) + "}]",
        _ => Deep(_random.Next(10, 100)),
    };

    private List<KeyValuePair<string, string>> RandomFields() =>
        [.. Names.Where(_ => _random.Next(3) == 0).Select(name => new KeyValuePair<string, string>(name, Pick(
            [
                WxUin, _token, "", "abc", "[]", "[{\"groupname\":\"g\",\"groupsign\":\"@@1\"}]",
                "[{\"name\":\"g\",\"sign\":\"@@1\"}]", "1700000000000", "image", "mp3", "text", "edit", "send",
                "https://q.example/x", "x' or PartitionKey ne '", "\u0001", "😀",
            ])))];

    private static string Deep(int depth) => new string('[', depth) + new string(']', depth);

    private static ByteArrayContent Raw(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType.Length > 0)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return content;
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private T Pick<T>(T[] choices) => choices[_random.Next(choices.Length)];

    private static string Shorten(string text) => text.Length > 120 ? text[..120] + "…" : text;
}
