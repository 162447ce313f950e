using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FazAi.Functions.Tests.Infrastructure;

/// <summary>One HTTP-triggered function as the Functions host would expose it.</summary>
public sealed record HttpFunction(
    string Name, string Route, IReadOnlyList<string> Methods, AuthorizationLevel Level, MethodInfo Method);

/// <summary>
/// Serves the app's HTTP functions on Kestrel at 127.0.0.1 on a free port, the way the Functions host routes them:
/// every <c>[Function]</c> whose first parameter carries <c>[HttpTrigger]</c>, at its route under the prefix from
/// <c>host.json</c>, for its methods only. The function class is built per call from the app's services, route
/// values bind to string parameters by name, and the returned <see cref="IActionResult"/> is executed.
/// Keys are not checked, as with the local Functions host.
/// </summary>
public sealed class FunctionsTestHost : IAsyncDisposable
{
    /// <summary>The Functions host's default request body limit (100 MB).</summary>
    public const long HostBodyLimit = 104_857_600;

    private readonly WebApplication _web;

    private FunctionsTestHost(WebApplication web, HttpClient client)
    {
        _web = web;
        Client = client;
    }

    public HttpClient Client { get; }

    public static IReadOnlyList<HttpFunction> Discover()
    {
        var functions = new List<HttpFunction>();
        foreach (var method in typeof(FazAiOptions).Assembly.GetTypes().SelectMany(t => t.GetMethods()))
        {
            var function = method.GetCustomAttribute<FunctionAttribute>();
            var trigger = method.GetParameters().FirstOrDefault()?.GetCustomAttribute<HttpTriggerAttribute>();
            if (function is null || trigger is null)
            {
                continue;
            }

            var methods = (trigger.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant()).ToList();
            functions.Add(
                new HttpFunction(function.Name, trigger.Route ?? function.Name, methods, trigger.AuthLevel, method));
        }

        return functions;
    }

    public static string RoutePrefix()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json")));
        return hostJson.RootElement.TryGetProperty("extensions", out var extensions) &&
            extensions.TryGetProperty("http", out var http) &&
            http.TryGetProperty("routePrefix", out var prefix)
                ? prefix.GetString() ?? "api"
                : "api";
    }

    public static async Task<FunctionsTestHost> StartAsync(IServiceProvider appServices, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = HostBodyLimit;
            kestrel.Listen(System.Net.IPAddress.Loopback, port);
        });
        builder.Logging.ClearProviders();
        builder.Services.AddMvcCore();
        builder.Services.AddRouting();
        var web = builder.Build();

        var prefix = RoutePrefix().Trim('/');
        foreach (var function in Discover())
        {
            var route = prefix.Length == 0 ? function.Route : $"{prefix}/{function.Route}";
            web.MapMethods("/" + route, function.Methods, context => InvokeAsync(appServices, function, context));
        }

        await web.StartAsync();
        var address = web.Urls.First();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) };
        return new FunctionsTestHost(web, client);
    }

    private static async Task InvokeAsync(IServiceProvider appServices, HttpFunction function, HttpContext context)
    {
        var instance = ActivatorUtilities.CreateInstance(appServices, function.Method.DeclaringType!);
        var arguments = function.Method.GetParameters().Select(object? (parameter) => parameter.ParameterType switch
        {
            var t when t == typeof(HttpRequest) => context.Request,
            var t when t == typeof(CancellationToken) => context.RequestAborted,
            var t when t == typeof(string) => context.GetRouteValue(parameter.Name!)?.ToString(),
            _ => throw new NotSupportedException($"The test host cannot bind {parameter.Name} of {function.Name}."),
        }).ToArray();

        var result = await (Task<IActionResult>)function.Method.Invoke(instance, arguments)!;
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _web.StopAsync();
        await _web.DisposeAsync();
    }
}
