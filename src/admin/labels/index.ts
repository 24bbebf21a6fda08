import type { Block, RowLabelComponent } from 'payload'

/** Array rows that hold a link (navigation, footer links, a hero's or a call to action's buttons). */
export const LINK_ROW_LABEL: RowLabelComponent = '/admin/labels/components#LinkRowLabel'

/** The columns of a content block. */
export const COLUMN_ROW_LABEL: RowLabelComponent = '/admin/labels/components#ColumnRowLabel'

/**
 * A layout block whose collapsed header shows its kind and its heading or first text instead of
 * "Untitled" (Payload's block `admin.components.Label`). For blocks fields only: the rich-text
 * editor's blocks have headers of their own.
 */
export const labelledByContent = (block: Block): Block => withLabel(block, '/admin/labels/components#BlockLabel')

/** The same for a block in rich text, whose header Payload's lexical editor draws inside the block's own form. */
export const labelledByContentInRichText = (block: Block): Block => withLabel(block, '/admin/labels/components#RichTextBlockLabel')

const withLabel = (block: Block, path: string): Block => {
  const singular = block.labels?.singular
  const blockLabel =
    typeof singular === 'string' ? singular : block.slug.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase())
  return {
    ...block,
    admin: {
      ...block.admin,
      components: { ...block.admin?.components, Label: { path, clientProps: { blockLabel, blockType: block.slug } } },
    },
  }
}
