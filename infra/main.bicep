// FazAi on Azure: one resource group holding a Flex Consumption function app, its storage account,
// a user-assigned identity and monitoring. `azd up` deploys this file; `azd down` removes the group.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and seeds the resource token.')
param environmentName string

@minLength(1)
@description('A region that offers Flex Consumption: az functionapp list-flexconsumption-locations.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the principal running azd (AZURE_PRINCIPAL_ID); used only with grantPrincipalDataAccess.')
param principalId string = ''

@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
@description('Kind of principal principalId names.')
param principalType string = 'User'

@description('Give principalId blob and table data access to the app\'s storage, for debugging.')
param grantPrincipalDataAccess bool = false

@description('Give the app\'s identity queue access; only a queue, blob or Durable trigger would need it.')
param grantQueueAccess bool = false

@description('Browser origins allowed to call the API, e.g. ["https://fazai.example.com"]; empty allows none.')
param corsAllowedOrigins string[] = []

// 40 is the lowest ceiling Flex Consumption accepts; it also caps what a traffic spike can cost.
@minValue(40)
@maxValue(1000)
@description('Most instances the app may scale out to.')
param maximumInstanceCount int = 40

@allowed([
  512
  2048
  4096
])
@description('Memory per instance in MB.')
param instanceMemoryMB int = 2048

@description('How long a saved QR code can be claimed and scanned (TimeSpan, d.hh:mm:ss).')
param qrLifetime string = '00:05:00'

@description('How long a login token stays valid after the login came online (TimeSpan).')
param sessionLifetime string = '7.00:00:00'

@description('How long the window holds a leased outbox message before it can be leased again (TimeSpan).')
param leaseTime string = '00:05:00'

@minValue(1)
@description('Largest image upload in bytes.')
param maxImageBytes int = 10485760

@minValue(1)
@description('Largest mp3 upload in bytes.')
param maxMp3Bytes int = 20971520

@description('Timeout for one storage request; with the retries it stays inside the function timeout (TimeSpan).')
param storageTimeout string = '00:00:05'

@minValue(0)
@maxValue(5)
@description('Retries of a storage request that failed for a transient reason.')
param storageRetries int = 2

@minValue(1024)
@description('Largest JSON or form body of the endpoints that are not uploads, in bytes.')
param maxBodyBytes int = 8388608

@description('Six-field NCRONTAB schedule of the QR-code expiry timer.')
param expireQrCodesSchedule string = '0 */1 * * * *'

// Same environment, subscription and region give the same names, so re-running azd updates in place.
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}

var functionAppName = 'func-${resourceToken}'

// The storage names the app reads from its settings; they are fixed, not tunable per environment.
var tableNames = {
  logins: 'logins'
  groups: 'groups'
  messages: 'messages'
  materials: 'materials'
}
var materialsContainerName = 'materials'
// A dedicated container for the zip azd uploads; the app never reads or lists it.
var deploymentContainerName = 'app-package'

// Flat keys with double underscores are how the .NET configuration binder sees sections (FazAi:QrLifetime).
var fazAiSettings = {
  FazAi__LoginsTable: tableNames.logins
  FazAi__GroupsTable: tableNames.groups
  FazAi__MessagesTable: tableNames.messages
  FazAi__MaterialsTable: tableNames.materials
  FazAi__MaterialsContainer: materialsContainerName
  FazAi__QrLifetime: qrLifetime
  FazAi__SessionLifetime: sessionLifetime
  FazAi__LeaseTime: leaseTime
  FazAi__MaxImageBytes: string(maxImageBytes)
  FazAi__MaxMp3Bytes: string(maxMp3Bytes)
  FazAi__StorageTimeout: storageTimeout
  FazAi__StorageRetries: string(storageRetries)
  FazAi__MaxBodyBytes: string(maxBodyBytes)
  // Flat on purpose: the host resolves the timer's %ExpireQrCodesSchedule% from a top-level setting.
  ExpireQrCodesSchedule: expireQrCodesSchedule
}

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'core/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'core/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    tableNames: map(items(tableNames), table => table.value)
    containerNames: [
      materialsContainerName
      deploymentContainerName
    ]
  }
}

module monitor 'core/monitor.bicep' = {
  name: 'monitor'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitor.outputs.applicationInsightsName
    appPrincipalId: identity.outputs.principalId
    grantQueueAccess: grantQueueAccess
    developerPrincipalId: principalId
    developerPrincipalType: principalType
    grantDeveloperDataAccess: grantPrincipalDataAccess
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    planName: 'plan-${resourceToken}'
    appName: functionAppName
    location: location
    tags: tags
    serviceName: 'api'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitor.outputs.applicationInsightsName
    appSettings: fazAiSettings
    corsAllowedOrigins: corsAllowedOrigins
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
  // The app starts as soon as it exists; its identity should already hold its storage roles by then.
  dependsOn: [
    rbac
  ]
}

// azd stores these in .azure/<env>/.env; none of them is a secret.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output SERVICE_API_ENDPOINTS string[] = [api.outputs.uri]
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output APPLICATIONINSIGHTS_NAME string = monitor.outputs.applicationInsightsName
output AZURE_LOG_ANALYTICS_WORKSPACE_NAME string = monitor.outputs.logAnalyticsName
