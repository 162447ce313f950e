using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FazAi.Functions.Tests.Deployment;

/// <summary>Settings are validated once, at start-up, with a message that names the bad setting.</summary>
public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("FazAi:QrLifetime", "00:00:00", "QrLifetime")]
    [InlineData("FazAi:MaxImageBytes", "0", "MaxImageBytes")]
    [InlineData("FazAi:LoginsTable", "no-dashes-allowed", "LoginsTable")]
    [InlineData("FazAi:MaterialsContainer", "UPPER", "MaterialsContainer")]
    [InlineData("ExpireQrCodesSchedule", "*/5 * * * *", "ExpireQrCodesSchedule")]
    public void A_bad_setting_fails_start_up_naming_it(string key, string value, string named)
    {
        using var services = Build(new Dictionary<string, string?> { [key] = value });

        var failure = Assert.Throws<OptionsValidationException>(
            () => services.GetRequiredService<IOptions<FazAiOptions>>().Value);

        Assert.Contains(named, failure.Message);
    }

    [Fact]
    public void No_settings_at_all_is_a_valid_local_configuration()
    {
        using var services = Build([]);

        var options = services.GetRequiredService<IOptions<FazAiOptions>>().Value;

        Assert.Equal(TimeSpan.FromMinutes(5), options.QrLifetime);
        Assert.Equal(FazAiOptions.DefaultSchedule, options.ExpireQrCodesSchedule);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage:tableServiceUri", "blobServiceUri")]
    [InlineData("AzureWebJobsStorage:blobServiceUri", "tableServiceUri")]
    public void Half_an_identity_based_storage_connection_fails_start_up_naming_what_is_missing(
        string given, string missing)
    {
        var failure = Assert.Throws<InvalidOperationException>(
            () => Build(new Dictionary<string, string?> { [given] = "https://account.example" }));

        Assert.Contains(missing, failure.Message);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddFazAi(configuration).BuildServiceProvider();
    }
}
