// SamAudio on Azure: storage (manifests, recordings, jobs, work queue + poison queue), the Functions app on Flex
// Consumption (ingest, status, poison handling) and the GPU worker as an event-driven Container Apps job scaled by
// the KEDA azure-queue rule. Identity only: user-assigned managed identities, no shared keys, roles scoped to the
// containers and queues each identity touches. Resources are declared directly (no registry modules).
targetScope = 'resourceGroup'

@description('azd environment name; used to name resources.')
param environmentName string

param location string = resourceGroup().location

@description('Worker image (built from src/SamAudio.Worker); a placeholder until the first deploy.')
param workerImage string = 'mcr.microsoft.com/k8se/quickstart-jobs:latest'

@description('Serverless GPU workload profile: T4 or A100.')
@allowed(['Consumption-GPU-NC8as-T4', 'Consumption-GPU-NC24-A100'])
param gpuProfileType string = 'Consumption-GPU-NC8as-T4'

@description('Most worker replicas at once.')
@minValue(1)
param maxWorkers int = 4

@description('Longest time range one work item covers, in seconds.')
param shardSeconds int = 600

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName }
var workQueueName = 'work-items'
var roles = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  blobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  queueMessageSender: 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'
}

resource functionsIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-func-${token}'
  location: location
  tags: tags
}

resource workerIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-worker-${token}'
  location: location
  tags: tags
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'st${token}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource manifests 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'manifests'
}

resource recordings 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'recordings'
}

resource jobs 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'jobs'
}

resource deployments 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'deployments'
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource workQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: workQueueName
}

resource poisonQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: '${workQueueName}-poison'
}

// Functions: the host itself needs Blob Data Owner and Queue Data Contributor on its AzureWebJobsStorage account
// (blob trigger receipts, leases, poison-blob queue); that is the documented minimum for identity-based host storage.
resource functionsBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, functionsIdentity.id, roles.blobDataOwner)
  scope: storage
  properties: { principalId: functionsIdentity.properties.principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataOwner) }
}

resource functionsQueueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, functionsIdentity.id, roles.queueDataContributor)
  scope: storage
  properties: { principalId: functionsIdentity.properties.principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.queueDataContributor) }
}

// Worker: reads recordings, writes outputs and job records, renews and deletes work messages (UpdateMessage needs
// Queue Data Contributor), and only sends to the poison queue.
resource workerRecordingsReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(recordings.id, workerIdentity.id, roles.blobDataReader)
  scope: recordings
  properties: { principalId: workerIdentity.properties.principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataReader) }
}

resource workerJobsContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(jobs.id, workerIdentity.id, roles.blobDataContributor)
  scope: jobs
  properties: { principalId: workerIdentity.properties.principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataContributor) }
}

resource workerQueueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(workQueue.id, workerIdentity.id, roles.queueDataContributor)
  scope: workQueue
  properties: { principalId: workerIdentity.properties.principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.queueDataContributor) }
}

resource workerPoisonSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(poisonQueue.id, workerIdentity.id, roles.queueMessageSender)
  scope: poisonQueue
  properties: { principalId: workerIdentity.properties.principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.queueMessageSender) }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${token}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

var identitySettings = {
  blobServiceUri: storage.properties.primaryEndpoints.blob
  queueServiceUri: storage.properties.primaryEndpoints.queue
  credential: 'managedidentity'
  clientId: functionsIdentity.properties.clientId
}

resource functions 'Microsoft.Web/sites@2024-04-01' = {
  name: 'func-${token}'
  location: location
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${functionsIdentity.id}': {} } }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deployments.name}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: functionsIdentity.id }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: 40, instanceMemoryMB: 2048 }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: concat(
        map(items(identitySettings), s => { name: 'AzureWebJobsStorage__${s.key}', value: s.value }),
        map(items(identitySettings), s => { name: 'SamAudioStorage__${s.key}', value: s.value }),
        [
          { name: 'SamAudioWorkQueue', value: workQueueName }
          { name: 'SamAudioShardSeconds', value: string(shardSeconds) }
        ])
    }
  }
  dependsOn: [functionsBlobOwner, functionsQueueContributor]
}

// Event Grid source for the blob trigger; azure.yaml's postdeploy hook subscribes the function once its
// blobs_extension key exists (it is created when the deployed app first starts).
resource storageEvents 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: 'evgt-${token}'
  location: location
  tags: tags
  properties: { source: storage.id, topicType: 'Microsoft.Storage.StorageAccounts' }
}

module worker 'worker.bicep' = {
  name: 'worker'
  params: {
    location: location
    tags: tags
    token: token
    identityId: workerIdentity.id
    identityClientId: workerIdentity.properties.clientId
    storageName: storage.name
    blobServiceUri: storage.properties.primaryEndpoints.blob
    queueServiceUri: storage.properties.primaryEndpoints.queue
    workQueueName: workQueueName
    image: workerImage
    gpuProfileType: gpuProfileType
    maxWorkers: maxWorkers
  }
  dependsOn: [workerRecordingsReader, workerJobsContributor, workerQueueContributor, workerPoisonSender]
}

output AZURE_STORAGE_ACCOUNT string = storage.name
output AZURE_RESOURCE_GROUP string = resourceGroup().name
output AZURE_FUNCTION_APP string = functions.name
output AZURE_FUNCTION_HOST string = functions.properties.defaultHostName
output AZURE_EVENTGRID_TOPIC string = storageEvents.name
output AZURE_WORKER_JOB string = worker.outputs.jobName
output SAMAUDIO_STORAGE_BLOB_URI string = storage.properties.primaryEndpoints.blob
