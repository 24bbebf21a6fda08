export const DELIVER_TASK = 'deliverBuildHook'
/** The queue deliveries run on, polled every few seconds (BUILD_HOOKS_CRON), apart from the default queue. */
export const DELIVERY_QUEUE = 'build-hooks'
