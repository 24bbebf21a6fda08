import type { TaskConfig } from 'payload'

import { deliver } from './deliver'
import { buildHookSettingsFromEnv } from './settings'

import { DELIVER_TASK } from './names'

export { DELIVER_TASK, DELIVERY_QUEUE } from './names'

type DeliverIO = { input: { delivery: string }; output: { outcome: string } }

/**
 * Delivers one burst (./deliver.ts). Retries are the delivery's own (a new job at the backoff
 * time, recorded on the delivery), not Payload's: a job that throws is retried by Payload only for
 * errors of the server itself, such as the database being away.
 */
export const deliverBuildHookTask: TaskConfig<DeliverIO> = {
  slug: DELIVER_TASK,
  label: 'Deliver a build hook',
  inputSchema: [{ name: 'delivery', type: 'text', required: true }],
  outputSchema: [{ name: 'outcome', type: 'text' }],
  retries: { attempts: 10, backoff: { type: 'exponential', delay: 5_000 } },
  handler: async ({ input, req }) => {
    return { output: { outcome: await deliver(req.payload, input.delivery, buildHookSettingsFromEnv()) } }
  },
}
