// The function app's user-assigned identity. User-assigned rather than system-assigned so its roles
// can be granted before the app exists, and the app never starts without access to its storage.

param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
