// The FazAi function app on a Flex Consumption plan: Linux, .NET 10 isolated worker, deployed by azd
// from a blob container, reaching storage and Application Insights with its user-assigned identity.

param planName string
param appName string
param location string
param tags object

@description('The azd service this app hosts; azd finds the app by this tag.')
param serviceName string

param identityId string
param identityClientId string

param storageAccountName string
param deploymentContainerName string
param applicationInsightsName string

@description('Settings the app itself reads (FazAi__*, the timer schedule).')
param appSettings object

@description('Origins allowed to call the API from a browser; empty allows none.')
param corsAllowedOrigins string[]

@description('Upper bound on instances the plan scales out to.')
param maximumInstanceCount int

@description('Memory of each instance in MB; 2048 suits an HTTP API of this size.')
param instanceMemoryMB int

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    // Flex Consumption runs on Linux only; `reserved` is how a plan says Linux.
    reserved: true
  }
}

// Identity-based host storage: the host builds its clients from these service URIs and the identity,
// so no connection string or account key exists anywhere.
var hostStorageSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
  AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
}

// The connection string names the resource; the authentication string makes the host and the
// exporter sign in with the identity, which is the only way in once local auth is disabled.
var telemetrySettings = {
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

// No FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION, WEBSITE_RUN_FROM_PACKAGE or
// WEBSITE_CONTENT* settings: Flex Consumption rejects or ignores them, the runtime and its version
// live in functionAppConfig.runtime and the package location in functionAppConfig.deployment.
var allSettings = union(appSettings, hostStorageSettings, telemetrySettings)

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    publicNetworkAccess: 'Enabled'
    siteConfig: {
      minTlsVersion: '1.2'
      cors: {
        allowedOrigins: corsAllowedOrigins
        // Callers authenticate with a header token, never cookies.
        supportCredentials: false
      }
      appSettings: map(items(allSettings), setting => {
        name: setting.key
        value: setting.value
      })
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// azd deploys with an Entra ID token, so user-name/password publishing is switched off for both the
// SCM (Kudu) endpoint and FTP; Flex Consumption serves no FTP, the policy keeps scanners quiet.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = app.name
output uri string = 'https://${app.properties.defaultHostName}'
