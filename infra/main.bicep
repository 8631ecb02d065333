// SamAudio on Azure: storage (manifests, recordings, jobs, and a work queue + poison queue per worker pool), the
// Functions app on Flex Consumption (ingest, status, poison handling), a container registry for the worker image, and
// one event-driven Container Apps job per pool (worker.bicep), each scaled by the KEDA azure-queue rule on its own
// queue. Identity only: user-assigned managed identities, no shared keys, roles scoped to the containers, queues and
// registry each identity touches. Resources are declared directly (no registry modules).
targetScope = 'resourceGroup'

@description('azd environment name; used to name resources.')
param environmentName string

param location string = resourceGroup().location

@description('Image both worker jobs start with (built from src/SamAudio.Worker); a placeholder until azd deploys worker-cpu and worker-gpu.')
param workerImage string = 'mcr.microsoft.com/k8se/quickstart-jobs:latest'

@description('Serverless GPU workload profile: T4 or A100.')
@allowed(['Consumption-GPU-NC8as-T4', 'Consumption-GPU-NC24-A100'])
param gpuProfileType string = 'Consumption-GPU-NC8as-T4'

@description('Most CPU worker executions (one replica each) at once.')
@minValue(1)
param maxCpuWorkers int = 8

@description('Most GPU worker executions (one replica each) at once.')
@minValue(1)
param maxGpuWorkers int = 4

@description('Deliveries of a work item before the worker moves it to its pool\'s poison queue; ingestion writes the same value into each work item.')
@minValue(1)
param maxAttempts int = 5

@description('Longest time range one work item covers, in seconds.')
param shardSeconds int = 600

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName }
// Worker pools. A model pack says whether it wants a GPU and ingestion sends its work items to that pool's queue: the
// mask family (samaudio-mini) runs on Consumption CPU replicas, the flow family (SAM-Audio packs) on the serverless GPU
// profile. Each pool has its own queue, poison queue (`<queue>-poison`) and Container Apps job.
var cpuPool = { name: 'cpu', queue: 'work-items-cpu', maxExecutions: maxCpuWorkers }
var gpuPool = { name: 'gpu', queue: 'work-items-gpu', maxExecutions: maxGpuWorkers }
var pools = [cpuPool, gpuPool]
var roles = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  blobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  queueMessageSender: 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
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

// The four pool queues: work-items-cpu, work-items-gpu and their poison queues, in the order of pools.
resource workQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for pool in pools: {
  parent: queueService
  name: pool.queue
}]

resource poisonQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for pool in pools: {
  parent: queueService
  name: '${pool.queue}-poison'
}]

// azd pushes the worker-cpu and worker-gpu images here (AZURE_CONTAINER_REGISTRY_ENDPOINT); the jobs pull with the
// worker identity, so the admin user stays off.
resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'cr${token}'
  location: location
  tags: tags
  sku: { name: 'Basic' }
  properties: { adminUserEnabled: false }
}

// Functions: the host itself needs Blob Data Owner and Queue Data Contributor on its AzureWebJobsStorage account
// (blob trigger receipts, leases, poison-blob queue); that is the documented minimum for identity-based host storage.
// SamAudioStorage is the same account, so this account-wide Queue Data Contributor already lets ingestion send to
// both pool queues and PoisonWorkItems read the poison queues; per-queue sender assignments would add nothing.
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

// Worker: reads manifests and recordings, writes outputs and job records, renews and deletes the messages of its
// pool's queue (UpdateMessage needs Queue Data Contributor) and only adds failure records to the poison queues
// (Message Sender: it never reads or deletes there, PoisonWorkItems does). Each job holds the same identity, so both
// pools' queues are granted; every scope is one container or one queue.
resource workerManifestsReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(manifests.id, workerIdentity.id, roles.blobDataReader)
  scope: manifests
  properties: { principalId: workerIdentity.properties.principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataReader) }
}

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

resource workerQueueContributors 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (pool, i) in pools: {
  name: guid(workQueues[i].id, workerIdentity.id, roles.queueDataContributor)
  scope: workQueues[i]
  properties: { principalId: workerIdentity.properties.principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.queueDataContributor) }
}]

resource workerPoisonSenders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (pool, i) in pools: {
  name: guid(poisonQueues[i].id, workerIdentity.id, roles.queueMessageSender)
  scope: poisonQueues[i]
  properties: { principalId: workerIdentity.properties.principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.queueMessageSender) }
}]

resource workerImagePull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, workerIdentity.id, roles.acrPull)
  scope: registry
  properties: { principalId: workerIdentity.properties.principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPull) }
}

// Telemetry: the worker and the Functions app export traces, metrics and logs to one workspace-based Application
// Insights (SamAudioTelemetry=azuremonitor; docs/azure.md, "Telemetry and health").
resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${token}'
  location: location
  tags: tags
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: 30 }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${token}'
  location: location
  tags: tags
  kind: 'web'
  properties: { Application_Type: 'web', WorkspaceResourceId: logs.id }
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
          // Ingestion routes each work item to its pool's queue; PoisonWorkItems watches both poison queues.
          { name: 'SamAudioCpuWorkQueue', value: cpuPool.queue }
          { name: 'SamAudioGpuWorkQueue', value: gpuPool.queue }
          { name: 'SamAudioMaxAttempts', value: string(maxAttempts) }
          { name: 'SamAudioShardSeconds', value: string(shardSeconds) }
          { name: 'SamAudioTelemetry', value: 'azuremonitor' }
          { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
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
    registryServer: registry.properties.loginServer
    appInsightsConnectionString: insights.properties.ConnectionString
    pools: pools
    image: workerImage
    gpuProfileType: gpuProfileType
    maxAttempts: maxAttempts
  }
  dependsOn: [workerManifestsReader, workerRecordingsReader, workerJobsContributor, workerQueueContributors, workerPoisonSenders, workerImagePull]
}

output AZURE_STORAGE_ACCOUNT string = storage.name
output AZURE_RESOURCE_GROUP string = resourceGroup().name
output AZURE_FUNCTION_APP string = functions.name
output AZURE_FUNCTION_HOST string = functions.properties.defaultHostName
output AZURE_EVENTGRID_TOPIC string = storageEvents.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.properties.loginServer
// jobNames follows pools: [cpuPool, gpuPool].
output AZURE_WORKER_CPU_JOB string = worker.outputs.jobNames[0]
output AZURE_WORKER_GPU_JOB string = worker.outputs.jobNames[1]
output SAMAUDIO_STORAGE_BLOB_URI string = storage.properties.primaryEndpoints.blob
output SAMAUDIO_STORAGE_QUEUE_URI string = storage.properties.primaryEndpoints.queue
output SAMAUDIO_CPU_WORK_QUEUE string = cpuPool.queue
output SAMAUDIO_GPU_WORK_QUEUE string = gpuPool.queue
output SAMAUDIO_WORKER_CLIENT_ID string = workerIdentity.properties.clientId
