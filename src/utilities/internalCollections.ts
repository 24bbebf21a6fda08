/** Payload's own collections (preferences, locks, migrations, jobs, key-value store): bookkeeping, not content or public API. */
export const isPayloadInternalCollection = (slug: string) => slug.startsWith('payload-')
