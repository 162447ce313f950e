using Azure.Core.Pipeline;
using FazAi.Functions.Groups;
using FazAi.Functions.Http;
using FazAi.Functions.Logins;
using FazAi.Functions.Materials;
using FazAi.Functions.Messages;
using FazAi.Functions.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FazAi.Functions;

/// <summary>Everything the functions need, registered once; the test host uses the same registrations.</summary>
public static class Composition
{
    public static IServiceCollection AddFazAi(
        this IServiceCollection services, IConfiguration configuration, HttpPipelinePolicy? storagePolicy = null)
    {
        services.AddOptions<FazAiOptions>()
            .Bind(configuration.GetSection(FazAiOptions.Section))
            .Configure(options => options.ExpireQrCodesSchedule =
                configuration[FazAiOptions.ScheduleSetting] ?? options.ExpireQrCodesSchedule)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddStorage(configuration, storagePolicy);
        services.AddSingleton<Api>();
        services.AddSingleton<Sessions>();
        services.AddSingleton<LoginStore>();
        services.AddSingleton<GroupStore>();
        services.AddSingleton<MaterialStore>();
        services.AddSingleton<IMaterialCatalog>(provider => provider.GetRequiredService<MaterialStore>());
        services.AddSingleton<MessageStore>();
        services.AddSingleton<Outbox>();
        return services;
    }
}
