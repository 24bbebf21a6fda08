'use client'
import { useFormFields, useRowLabel } from '@payloadcms/ui'
import React from 'react'

import { blockSummary, columnSummary, linkRowSummary } from './summaries'

type Summarize = (row: Record<string, unknown> | undefined) => string

const RowLabelOf = ({ summarize, fallback }: { summarize: Summarize; fallback: string }) => {
  const { data, rowNumber } = useRowLabel<Record<string, unknown>>()
  const number = String((rowNumber ?? 0) + 1).padStart(2, '0')
  const summary = summarize(data)
  return (
    <span data-row-label>
      {number} · {summary || <span style={{ color: 'var(--theme-elevation-500)' }}>{fallback}</span>}
    </span>
  )
}

/** Navigation items, footer links and link lists: the link's label. */
export const LinkRowLabel = () => <RowLabelOf fallback="New link" summarize={linkRowSummary} />

/** A content block's columns: the column's first text. */
export const ColumnRowLabel = () => <RowLabelOf fallback="Empty column" summarize={columnSummary} />

/**
 * A layout block's header: its number, its kind and its heading or first text. A name an editor
 * gave the block (`blockName`, set through the API) wins over the text.
 */
export const BlockLabel = ({ blockLabel }: { blockLabel?: string }) => {
  const { data, rowNumber } = useRowLabel<Record<string, unknown>>()
  return <BlockHeader blockLabel={blockLabel} data={data} number={String((rowNumber ?? 0) + 1).padStart(2, '0')} />
}

/**
 * A rich-text block's header (Banner, Code, Media in a post's body): the same text, read from the
 * block's own form, inside which the lexical editor draws the header.
 */
export const RichTextBlockLabel = ({ blockLabel, blockType }: { blockLabel?: string; blockType?: string }) => {
  const values = useFormFields(([fields]) => fields)
  const data: Record<string, unknown> = { blockType }
  for (const [path, field] of Object.entries(values ?? {})) if (!path.includes('.')) data[path] = field?.value
  return <BlockHeader blockLabel={blockLabel} data={data} />
}

const BlockHeader = ({ blockLabel, data, number }: { blockLabel?: string; data?: Record<string, unknown>; number?: string }) => {
  const name = typeof data?.blockName === 'string' && data.blockName.trim() ? data.blockName : blockSummary(data)
  return (
    // Grows, so that the header's buttons stay at its end (the lexical editor's header is a row).
    <span data-row-label style={{ display: 'inline-flex', flex: '1 1 auto', gap: 'calc(var(--base) / 2)', alignItems: 'center' }}>
      {number && <span>{number}</span>}
      {blockLabel && <span className="pill pill--style-white pill--size-small">{blockLabel}</span>}
      <span>{name || <span style={{ color: 'var(--theme-elevation-500)' }}>Empty</span>}</span>
    </span>
  )
}
