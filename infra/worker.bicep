// The workers: a Container Apps environment with Consumption and serverless GPU workload profiles, and one event-driven
// job per pool that KEDA's azure-queue rule starts (with the worker's managed identity) while that pool's queue holds
// visible work items. A replica takes messages until none is visible or its replicaTimeout nears; the queue's
// visibility timeout returns unfinished work.
param location string
param tags object
param token string
param identityId string
param identityClientId string
param storageName string
param blobServiceUri string
param queueServiceUri string
param registryServer string
@secure()
@description('Application Insights connection string the worker exports telemetry to (kept as a job secret).')
param appInsightsConnectionString string
param image string
param gpuProfileType string
param maxAttempts int

@description('One entry per pool: name (cpu or gpu, a key of shapes), queue, maxExecutions.')
param pools array

// What one replica of each pool runs on. CPU: the Consumption profile, 2 vCPU / 4 GiB, 2 h per execution. GPU: the
// whole serverless GPU profile (8 vCPU / 56 GiB is the T4 size; the A100 profile has more), 4 h per execution.
var shapes = {
  cpu: { workloadProfileName: 'Consumption', cpu: '2', memory: '4Gi', replicaTimeout: 2 * 3600 }
  gpu: { workloadProfileName: 'gpu', cpu: '8', memory: '56Gi', replicaTimeout: 4 * 3600 }
}

// Visibility timeout the worker sets and renews while it works on a message.
var leaseSeconds = 300

// The worker answers GET /healthz with 503 once it has gone twice the renewal period (200 s at a 300 s lease) without
// a receive or lease renewal; three failed probes 30 s apart then restart the replica, and the unrenewed message
// returns to the queue for another.
var healthPort = 8080

resource environment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: 'cae-${token}'
  location: location
  tags: tags
  properties: {
    workloadProfiles: [
      { name: 'Consumption', workloadProfileType: 'Consumption' }
      { name: 'gpu', workloadProfileType: gpuProfileType }
    ]
  }
}

// One execution is one replica (parallelism 1): with queueLength 1 KEDA already starts an execution per visible
// message, up to the pool's maxExecutions. The container has no args: in a Container Apps job the worker stops once
// no message is visible.
resource jobs 'Microsoft.App/jobs@2025-01-01' = [for pool in pools: {
  name: 'job-worker-${pool.name}-${token}'
  location: location
  tags: union(tags, { 'azd-service-name': 'worker-${pool.name}' })
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identityId}': {} } }
  properties: {
    environmentId: environment.id
    workloadProfileName: shapes[pool.name].workloadProfileName
    configuration: {
      triggerType: 'Event'
      replicaTimeout: shapes[pool.name].replicaTimeout
      replicaRetryLimit: 1
      registries: [{ server: registryServer, identity: identityId }]
      secrets: [{ name: 'appinsights-connection', value: appInsightsConnectionString }]
      eventTriggerConfig: {
        parallelism: 1
        replicaCompletionCount: 1
        scale: {
          minExecutions: 0
          maxExecutions: pool.maxExecutions
          pollingInterval: 30
          rules: [
            {
              name: 'work-queue'
              type: 'azure-queue'
              // visibleonly: messages that running replicas hold (invisible while they renew the lease) must not start
              // more executions. KEDA falls back to counting all messages at 32 or more, when more start anyway.
              metadata: { accountName: storageName, queueName: pool.queue, queueLength: '1', queueLengthStrategy: 'visibleonly' }
              identity: identityId
            }
          ]
        }
      }
    }
    template: {
      containers: [
        {
          name: 'worker'
          image: image
          resources: { cpu: json(shapes[pool.name].cpu), memory: shapes[pool.name].memory }
          env: [
            { name: 'SamAudioStorage__blobServiceUri', value: blobServiceUri }
            { name: 'SamAudioStorage__queueServiceUri', value: queueServiceUri }
            { name: 'SamAudioStorage__credential', value: 'managedidentity' }
            { name: 'SamAudioStorage__clientId', value: identityClientId }
            { name: 'SamAudioWorkQueue', value: pool.queue }
            { name: 'SamAudioPool', value: pool.name }
            { name: 'SamAudioLeaseSeconds', value: string(leaseSeconds) }
            { name: 'SamAudioMaxAttempts', value: string(maxAttempts) }
            // The worker stops taking work when the next shard would not finish before the job kills the replica.
            { name: 'SamAudioReplicaTimeoutSeconds', value: string(shapes[pool.name].replicaTimeout) }
            { name: 'AZURE_CLIENT_ID', value: identityClientId }
            { name: 'SamAudioHealthPort', value: string(healthPort) }
            { name: 'SamAudioTelemetry', value: 'azuremonitor' }
            { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', secretRef: 'appinsights-connection' }
          ]
          probes: [
            {
              type: 'Liveness'
              httpGet: { path: '/healthz', port: healthPort }
              initialDelaySeconds: 10
              periodSeconds: 30
              timeoutSeconds: 5
              failureThreshold: 3
            }
          ]
        }
      ]
    }
  }
}]

@description('Job names in the order of pools.')
output jobNames array = [for (pool, i) in pools: jobs[i].name]
