import type { Block, Field } from 'payload'

const FIELD_COMPONENTS = { code: '/admin/monaco/fields#CodeField', json: '/admin/monaco/fields#JSONField' } as const

/**
 * A code or JSON field whose editor waits for Monaco from this server (src/admin/monaco); any other
 * field, and one that brings its own component, as it is. Fields inside arrays, groups, rows, tabs,
 * collapsibles and blocks are reached too.
 */
export const withSelfHostedMonaco = <T extends Field>(field: T): T => {
  if (field.type === 'code' || field.type === 'json') {
    if (field.admin?.components?.Field) return field
    return { ...field, admin: { ...field.admin, components: { ...field.admin?.components, Field: FIELD_COMPONENTS[field.type] } } }
  }
  if (field.type === 'tabs') {
    return { ...field, tabs: field.tabs.map((tab) => ({ ...tab, fields: tab.fields.map(withSelfHostedMonaco) })) }
  }
  if (field.type === 'blocks') {
    return { ...field, blocks: field.blocks.map(blockWithSelfHostedMonaco) }
  }
  if ('fields' in field && Array.isArray(field.fields)) {
    return { ...field, fields: field.fields.map(withSelfHostedMonaco) }
  }
  return field
}

export const blockWithSelfHostedMonaco = (block: Block): Block => ({ ...block, fields: block.fields.map(withSelfHostedMonaco) })
