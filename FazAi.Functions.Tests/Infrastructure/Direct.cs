using System.Text;
using System.Text.Json;
using FazAi.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace FazAi.Functions.Tests.Infrastructure;

/// <summary>Builds requests for calling function classes directly, without HTTP.</summary>
public static class Direct
{
    public static HttpRequest Json(object body, string? token = null, string method = "POST")
    {
        var context = new DefaultHttpContext();
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        context.Request.Method = method;
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        if (token is not null)
        {
            context.Request.Headers["token"] = token;
        }

        return context.Request;
    }

    public static HttpRequest Query(string query, string? token = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.QueryString = new QueryString(query.StartsWith('?') ? query : "?" + query);
        if (token is not null)
        {
            context.Request.Headers["token"] = token;
        }

        return context.Request;
    }

    public static EnvelopeResult Envelope(IActionResult result) =>
        Assert.IsType<EnvelopeResult>(result);

    public static string Body(string text) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));
}
