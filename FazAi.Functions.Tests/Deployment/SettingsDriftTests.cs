using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Deployment;

/// <summary>The settings the code reads, the ones the Bicep sets and the local sample must not drift apart.</summary>
public sealed partial class SettingsDriftTests
{
    private static readonly string Root = Azurite.RepositoryRoot();

    /// <summary>
    /// Every app setting the code reads: one per option, the timer schedule, and the storage connection.
    /// </summary>
    private static IEnumerable<string> SettingsTheCodeReads() =>
        OptionProperties().Select(p => $"{FazAiOptions.Section}__{p.Name}")
            .Where(name => name != $"{FazAiOptions.Section}__{nameof(FazAiOptions.ExpireQrCodesSchedule)}")
            .Append(FazAiOptions.ScheduleSetting);

    private static readonly string[] IdentityStorageSettings =
    [
        "AzureWebJobsStorage__tableServiceUri",
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
    ];

    [Fact]
    public void Bicep_sets_every_setting_the_code_reads()
    {
        var bicep = BicepSettings();

        var missing = SettingsTheCodeReads().Concat(IdentityStorageSettings).Where(s => !bicep.ContainsKey(s)).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Bicep_sets_nothing_the_code_does_not_read()
    {
        var known = SettingsTheCodeReads().Concat(IdentityStorageSettings).ToHashSet();

        var unknown = BicepSettings().Keys
            .Where(s => s.StartsWith("FazAi__", StringComparison.Ordinal) && !known.Contains(s)).ToList();

        Assert.Empty(unknown);
    }

    [Fact]
    public void Bicep_parameter_defaults_equal_the_code_defaults()
    {
        var defaults = new FazAiOptions();
        var bicepDefaults = BicepParameterDefaults();
        var mismatches = new List<string>();

        foreach (var (setting, expression) in BicepSettings())
        {
            var property = OptionProperties().FirstOrDefault(p => $"{FazAiOptions.Section}__{p.Name}" == setting)
                ?? (setting == FazAiOptions.ScheduleSetting
                    ? typeof(FazAiOptions).GetProperty(nameof(FazAiOptions.ExpireQrCodesSchedule))
                    : null);
            if (property is null)
            {
                continue;
            }

            var bicepValue = ValueOf(expression, bicepDefaults);
            var codeValue = Convert.ToString(property.GetValue(defaults), CultureInfo.InvariantCulture);
            if (bicepValue != codeValue)
            {
                mismatches.Add($"{setting}: bicep {bicepValue}, code {codeValue}");
            }
        }

        Assert.Empty(mismatches);
    }

    [Fact]
    public void Local_settings_sample_lists_every_setting_with_the_code_default()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values");
        var defaults = new FazAiOptions();

        Assert.Equal("UseDevelopmentStorage=true", values.GetProperty("AzureWebJobsStorage").GetString());
        Assert.Equal(defaults.ExpireQrCodesSchedule, values.GetProperty(FazAiOptions.ScheduleSetting).GetString());
        foreach (var property in OptionProperties().Where(p => p.Name != nameof(FazAiOptions.ExpireQrCodesSchedule)))
        {
            Assert.True(
                values.TryGetProperty($"FazAi__{property.Name}", out var value),
                $"FazAi__{property.Name} is missing");
            Assert.Equal(
                Convert.ToString(property.GetValue(defaults), CultureInfo.InvariantCulture),
                value.GetString());
        }
    }

    private static IEnumerable<PropertyInfo> OptionProperties() =>
        typeof(FazAiOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite);

    /// <summary>The app settings written in the Bicep files, as setting name → Bicep expression.</summary>
    private static Dictionary<string, string> BicepSettings()
    {
        var settings = new Dictionary<string, string>();
        var bicepFiles = Directory.EnumerateFiles(Path.Combine(Root, "infra"), "*.bicep", SearchOption.AllDirectories);
        foreach (var file in bicepFiles)
        {
            foreach (Match match in SettingLine().Matches(File.ReadAllText(file)))
            {
                settings[match.Groups["name"].Value] = match.Groups["value"].Value.Trim();
            }
        }

        return settings;
    }

    private static Dictionary<string, string> BicepParameterDefaults()
    {
        var text = File.ReadAllText(Path.Combine(Root, "infra", "main.bicep"));
        return ParameterLine().Matches(text)
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value.Trim());
    }

    /// <summary>
    /// Resolves <c>'text'</c>, <c>string(param)</c>, <c>param</c> and <c>variable.member</c> to a value.
    /// </summary>
    private static string? ValueOf(string expression, Dictionary<string, string> parameters)
    {
        var inner = StringCall().Match(expression) is { Success: true } call ? call.Groups[1].Value : expression;
        if (inner.StartsWith('\''))
        {
            return inner.Trim('\'');
        }

        if (parameters.TryGetValue(inner, out var value))
        {
            return value.Trim('\'');
        }

        // Fixed names (tables, container) live in variables; their last segment is the name itself.
        var variable = Regex.Match(
            File.ReadAllText(Path.Combine(Root, "infra", "main.bicep")),
            $@"(?m)^\s*{Regex.Escape(inner.Split('.').Last())}:\s*'(?<v>[^']*)'");
        if (variable.Success)
        {
            return variable.Groups["v"].Value;
        }

        var plain = Regex.Match(
            File.ReadAllText(Path.Combine(Root, "infra", "main.bicep")),
            $@"(?m)^var {Regex.Escape(inner)} = '(?<v>[^']*)'");
        return plain.Success ? plain.Groups["v"].Value : expression;
    }

    [GeneratedRegex(
        @"(?m)^\s*(?<name>FazAi__\w+|ExpireQrCodesSchedule|AzureWebJobsStorage__\w+|APPLICATIONINSIGHTS_\w+)" +
        @":\s*(?<value>.+)$")]
    private static partial Regex SettingLine();

    [GeneratedRegex(@"(?m)^param (?<name>\w+) \w+(\[\])? = (?<value>.+)$")]
    private static partial Regex ParameterLine();

    [GeneratedRegex(@"^string\((\w+)\)$")]
    private static partial Regex StringCall();
}
