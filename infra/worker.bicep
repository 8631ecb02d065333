// The GPU worker: a Container Apps environment with a serverless GPU workload profile and an event-driven job that
// KEDA's azure-queue rule starts (with the worker's managed identity) while work items wait. One replica takes
// messages until the queue is empty or its replicaTimeout nears; the queue's visibility timeout returns unfinished work.
param location string
param tags object
param token string
param identityId string
param identityClientId string
param storageName string
param blobServiceUri string
param queueServiceUri string
param workQueueName string
param image string
param gpuProfileType string
param maxWorkers int

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

resource worker 'Microsoft.App/jobs@2025-01-01' = {
  name: 'job-worker-${token}'
  location: location
  tags: union(tags, { 'azd-service-name': 'worker' })
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identityId}': {} } }
  properties: {
    environmentId: environment.id
    workloadProfileName: 'gpu'
    configuration: {
      triggerType: 'Event'
      replicaTimeout: 4 * 3600
      replicaRetryLimit: 1
      eventTriggerConfig: {
        parallelism: 1
        replicaCompletionCount: 1
        scale: {
          minExecutions: 0
          maxExecutions: maxWorkers
          pollingInterval: 30
          rules: [
            {
              name: 'work-queue'
              type: 'azure-queue'
              metadata: { accountName: storageName, queueName: workQueueName, queueLength: '1' }
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
          resources: { cpu: json('8'), memory: '56Gi' }
          env: [
            { name: 'SamAudioStorage__blobServiceUri', value: blobServiceUri }
            { name: 'SamAudioStorage__queueServiceUri', value: queueServiceUri }
            { name: 'SamAudioStorage__credential', value: 'managedidentity' }
            { name: 'SamAudioStorage__clientId', value: identityClientId }
            { name: 'SamAudioWorkQueue', value: workQueueName }
          ]
        }
      ]
    }
  }
}

output jobName string = worker.name
