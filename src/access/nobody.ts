import type { Access, FieldAccess } from 'payload'

/** For operations only Payload itself performs (search index rows, immutable submissions). */
export const nobody: Access = () => false

/** For fields only hooks set (who uploaded a file). */
export const nobodyField: FieldAccess = () => false
