using System.Text.RegularExpressions;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Deployment;

/// <summary><c>openapi.yaml</c> describes exactly the routes and methods the functions serve.</summary>
public sealed partial class OpenApiTests
{
    [Fact]
    public void OpenApi_paths_and_methods_equal_the_function_routes_and_methods()
    {
        var documented = DocumentedOperations();

        var served = FunctionsTestHost.Discover()
            .Where(f => f.Name != FazAi.Functions.Http.FallbackFunction.Name)
            .SelectMany(f => f.Methods.Select(m => $"{m.ToLowerInvariant()} /{f.Route}"))
            .Order(StringComparer.Ordinal).ToList();

        Assert.Equal(served, documented);
    }

    [Fact]
    public void OpenApi_declares_version_3_1_and_the_envelope()
    {
        var text = File.ReadAllText(Path.Combine(Azurite.RepositoryRoot(), "openapi.yaml"));

        Assert.Matches(@"(?m)^openapi: ['""]?3\.1\.\d+", text);
        Assert.Contains("Envelope", text);
    }

    /// <summary>Reads <c>paths:</c> of the YAML by indentation: two spaces for a path, four for a method.</summary>
    private static List<string> DocumentedOperations()
    {
        var lines = File.ReadAllLines(Path.Combine(Azurite.RepositoryRoot(), "openapi.yaml"));
        var operations = new List<string>();
        var inPaths = false;
        string? path = null;
        foreach (var line in lines)
        {
            if (TopLevel().IsMatch(line))
            {
                inPaths = line.StartsWith("paths:", StringComparison.Ordinal);
                continue;
            }

            if (!inPaths)
            {
                continue;
            }

            if (PathLine().Match(line) is { Success: true } p)
            {
                path = p.Groups[1].Value.Trim('\'', '"');
            }
            else if (MethodLine().Match(line) is { Success: true } m && path is not null)
            {
                operations.Add($"{m.Groups[1].Value} {path}");
            }
        }

        return [.. operations.Order(StringComparer.Ordinal)];
    }

    [GeneratedRegex(@"^[A-Za-z]")]
    private static partial Regex TopLevel();

    [GeneratedRegex(@"^  (['""]?/[^:]*['""]?):\s*$")]
    private static partial Regex PathLine();

    [GeneratedRegex(@"^    (get|put|post|delete|patch|head|options):\s*$")]
    private static partial Regex MethodLine();
}
