import type { TaskConfig } from 'payload'

export const DELIVER_TASK = 'deliverBuildHook'
/** The queue deliveries run on, polled every few seconds (BUILD_HOOKS_CRON), apart from the default queue. */
export const DELIVERY_QUEUE = 'build-hooks'

type DeliverIO = { input: { delivery: string }; output: { outcome: string } }

export const deliverBuildHookTask: TaskConfig<DeliverIO> = {
  slug: DELIVER_TASK,
  label: 'Deliver a build hook',
  inputSchema: [{ name: 'delivery', type: 'text', required: true }],
  outputSchema: [{ name: 'outcome', type: 'text' }],
  handler: async () => ({ output: { outcome: 'not yet' } }),
}
