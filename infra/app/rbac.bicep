// Data-plane roles. The storage account refuses shared keys, so these assignments are the only way in:
// the app's identity gets what the Functions host and the app need, nothing at the control plane.

param storageAccountName string
param applicationInsightsName string

@description('Principal id of the function app\'s user-assigned identity.')
param appPrincipalId string

@description('Grant the app\'s identity queue access; the app has no queue trigger or output today.')
param grantQueueAccess bool

@description('Principal id of the person or pipeline running the deployment; empty grants nothing.')
param developerPrincipalId string

@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param developerPrincipalType string

@description('Let the deploying principal read and write the app\'s blobs and tables, for debugging.')
param grantDeveloperDataAccess bool

// Built-in role definition ids; they are the same in every tenant.
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// The Functions host needs Owner, not Contributor, on blobs: it creates its own containers
// (azure-webjobs-hosts for timer locks and schedule status, azure-webjobs-secrets for function keys),
// and Flex Consumption reads the app package with this identity. The app's materials container is
// covered by the same role.
var appStorageRoles = concat(
  [
    roles.storageBlobDataOwner
    roles.storageTableDataContributor
  ],
  // Timer triggers take their singleton lock with blob leases, so the host needs no queue access for
  // this app; queue triggers, blob triggers (receipts, poison queue) or Durable Functions would.
  grantQueueAccess ? [roles.storageQueueDataContributor] : []
)

var developerStorageRoles = [
  roles.storageBlobDataContributor
  roles.storageTableDataContributor
]

var developerGetsData = grantDeveloperDataAccess && !empty(developerPrincipalId)

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource appStorageAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in appStorageRoles: {
    name: guid(storage.id, appPrincipalId, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: appPrincipalId
      // Stated so the assignment does not wait for the new identity to replicate through Entra ID.
      principalType: 'ServicePrincipal'
    }
  }
]

// With local authentication off, telemetry is accepted only from identities holding this role.
resource appTelemetryAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, appPrincipalId, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.monitoringMetricsPublisher
    )
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource developerStorageAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in developerStorageRoles: if (developerGetsData) {
    name: guid(storage.id, developerPrincipalId, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: developerPrincipalId
      principalType: developerPrincipalType
    }
  }
]
