using System.Net;
using System.Text;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Attack;

/// <summary>
/// Invalid UTF-8 in a JSON body is a 400; the same bytes percent-encoded in a form field or the query string must
/// not be stored as some other text (two different inputs, <c>%ff</c> and the literal <c>%25ff</c>, would become one
/// value): a clear 400 or a byte-exact round trip, as bad-inputs.md asks for every kind.
/// </summary>
public sealed class InvalidUtf8ParameterTests : AppTests
{
    [Theory]
    [InlineData("%ff%fe")]
    [InlineData("%C3%28")]
    [InlineData("%ED%A0%80")]
    public async Task A_query_value_that_is_not_valid_utf8_is_400(string encoded)
    {
        var reply = await Client.PostRawAsync(
            $"/wx/savesrc?src=https%3A%2F%2Fq.example%2F1&pgv_si={encoded}", "", "text/plain");

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        Assert.Contains("pgv_si", reply.Info);
    }

    [Theory]
    [InlineData("%ff%fe")]
    [InlineData("%C3%28")]
    [InlineData("%ED%A0%80")]
    public async Task A_form_field_that_is_not_valid_utf8_is_400(string encoded)
    {
        var reply = await Client.PostRawAsync(
            "/wx/savesrc", $"src=https%3A%2F%2Fq.example%2F1&pgv_si={encoded}", "application/x-www-form-urlencoded");

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        Assert.Contains("pgv_si", reply.Info);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_form_field_does_not_become_the_same_pgv_si_as_its_literal_text()
    {
        var fromBytes = await Client.PostRawAsync(
            "/wx/savesrc", "src=https%3A%2F%2Fq.example%2F1&pgv_si=%ff", "application/x-www-form-urlencoded");
        var literal = await Client.PostJsonAsync("/wx/savesrc", new { src = "https://q.example/2", pgv_si = "%ff" });
        Assert.Equal(HttpStatusCode.OK, literal.Status);

        // Whatever the first call did, the literal text "%ff" must not match a value sent as the byte 0xFF.
        Assert.False(
            fromBytes.Status == HttpStatusCode.OK && fromBytes.Text("pgv_si") == literal.Text("pgv_si"),
            $"{fromBytes} and {literal} name the same pgv_si: {Encoding.UTF8.GetByteCount("%ff")} bytes vs 1");
    }
}
