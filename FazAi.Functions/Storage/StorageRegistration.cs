using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FazAi.Functions.Storage;

public static class StorageRegistration
{
    /// <summary>The connection the app and the Functions host share.</summary>
    public const string ConnectionName = "AzureWebJobsStorage";

    /// <summary>
    /// Registers the Table and Blob service clients once: from a connection string (locally
    /// <c>UseDevelopmentStorage=true</c>) or, in Azure, from <c>AzureWebJobsStorage__tableServiceUri</c>,
    /// <c>__blobServiceUri</c>, <c>__credential</c> and <c>__clientId</c> with a managed identity.
    /// </summary>
    public static IServiceCollection AddStorage(
        this IServiceCollection services, IConfiguration configuration, HttpPipelinePolicy? extraPolicy = null)
    {
        var section = configuration.GetSection(ConnectionName);
        var connectionString = section.Value;
        var tableUri = section["tableServiceUri"];
        var blobUri = section["blobServiceUri"];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (tableUri is null && blobUri is null)
            {
                connectionString = "UseDevelopmentStorage=true";
            }
            else if (tableUri is null || blobUri is null)
            {
                // Half an identity-based connection would quietly fall back to the emulator; refuse to start.
                var missing = tableUri is null ? "tableServiceUri" : "blobServiceUri";
                throw new InvalidOperationException(
                    $"Setting {ConnectionName}__{missing} is missing: set both service URIs, or a connection string.");
            }
        }

        services.AddAzureClients(clients =>
        {
            if (!string.IsNullOrWhiteSpace(connectionString))
            {
                clients.AddTableServiceClient(connectionString);
                clients.AddBlobServiceClient(connectionString);
            }
            else
            {
                clients.AddTableServiceClient(new Uri(tableUri!));
                clients.AddBlobServiceClient(new Uri(blobUri!));
                clients.UseCredential(CredentialFrom(section));
            }

            clients.ConfigureDefaults((ClientOptions client, IServiceProvider provider) =>
            {
                var options = provider.GetRequiredService<IOptions<FazAiOptions>>().Value;
                client.Retry.Mode = RetryMode.Exponential;
                client.Retry.MaxRetries = options.StorageRetries;
                client.Retry.Delay = TimeSpan.FromMilliseconds(200);
                client.Retry.MaxDelay = TimeSpan.FromSeconds(2);
                client.Retry.NetworkTimeout = options.StorageTimeout;
                if (extraPolicy is not null)
                {
                    client.AddPolicy(extraPolicy, HttpPipelinePosition.PerRetry);
                }
            });
        });

        services.AddSingleton<StorageAccount>();
        services.AddHostedService<StorageStartup>();
        return services;
    }

    private static TokenCredential CredentialFrom(IConfigurationSection section)
    {
        var clientId = section["clientId"];
        if (string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            return string.IsNullOrEmpty(clientId)
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        }

        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
    }

    /// <summary>
    /// Creates missing tables and containers when the worker starts, and keeps trying in the background while
    /// storage cannot be reached, so an app started during an outage works once storage is back.
    /// </summary>
    private sealed class StorageStartup(StorageAccount storage, ILogger<StorageStartup> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var delay = TimeSpan.FromSeconds(2);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await storage.EnsureCreatedAsync(stoppingToken);
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Calls answer 503 meanwhile; each failure is logged so an outage at start is visible.
                    logger.LogError(
                        e, "Could not create the app's tables and container; trying again in {Delay}", delay);
                }

                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 60));
            }
        }
    }
}
