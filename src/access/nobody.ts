import type { Access } from 'payload'

/** For operations only Payload itself performs (search index rows, immutable submissions). */
export const nobody: Access = () => false
