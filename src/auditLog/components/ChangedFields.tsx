import { FieldLabel } from '@payloadcms/ui'
import type { JSONFieldServerProps } from 'payload'
import React from 'react'

/**
 * An entry's changed field paths as a plain list. Payload's JSON field is a code editor (Monaco),
 * which is neither needed to read a list of paths nor editable here: entries are read-only.
 */
export const ChangedFields = ({ data, value }: JSONFieldServerProps) => {
  const stored = value ?? (data as { changedFields?: unknown } | undefined)?.changedFields
  const paths = Array.isArray(stored) ? stored.map(String) : []
  return (
    <div className="field-type" style={{ marginBottom: 'var(--base)' }}>
      <FieldLabel label="Changed fields" />
      {paths.length ? (
        <ul data-testid="changed-fields" style={{ margin: 0, paddingLeft: 'calc(var(--base) * 1.25)' }}>
          {paths.map((path) => (
            <li key={path}>
              <code>{path}</code>
            </li>
          ))}
        </ul>
      ) : (
        <p style={{ color: 'var(--theme-elevation-500)', margin: 0 }}>None</p>
      )}
    </div>
  )
}
