'use client'

import { useAllFormFields, useConfig, useDocumentInfo, useLocale } from '@payloadcms/ui'
import { reduceFieldsToValues } from 'payload/shared'
import React, { useEffect, useRef, useState } from 'react'

type BrokenLink = {
  path: string
  label: string
  locale?: string
  target: { relationTo: string; id: number | string; title?: string } | null
  reason: 'missing' | 'unpublished' | 'trashed'
}

const REASONS: Record<BrokenLink['reason'], string> = {
  missing: 'deleted',
  unpublished: 'not published',
  trashed: 'in the trash',
}

/** Asked again this long after the editor stops typing. */
const QUIET_MS = 600

/**
 * In a post's or page's sidebar: the links of the form as it is now that lead nowhere a reader can
 * go, each with where it points and why, so the editor sees them before pressing Publish. Asks the
 * server (POST /api/link-check), which checks with the same code as the save does.
 */
export const LinkCheckWarning = () => {
  const [fields] = useAllFormFields()
  const { collectionSlug, id } = useDocumentInfo()
  const locale = useLocale()
  const {
    config: { routes, serverURL },
  } = useConfig()
  const [broken, setBroken] = useState<BrokenLink[] | null>(null)
  const latest = useRef(0)

  useEffect(() => {
    const request = ++latest.current
    const timer = setTimeout(() => {
      const data = reduceFieldsToValues(fields, true)
      fetch(`${serverURL ?? ''}${routes.api}/link-check`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ collection: collectionSlug, id, data, locale: locale?.code }),
      })
        .then((response) => (response.ok ? response.json() : null))
        .then((answer: { brokenLinks?: BrokenLink[] } | null) => {
          if (request === latest.current && answer?.brokenLinks) setBroken(answer.brokenLinks)
        })
        .catch(() => undefined)
    }, QUIET_MS)
    return () => clearTimeout(timer)
  }, [fields, collectionSlug, id, locale?.code, routes.api, serverURL])

  if (!broken || broken.length === 0) return null
  return (
    <div
      className="link-check-warning"
      data-link-check-warning
      role="alert"
      style={{
        marginBottom: 'var(--base)',
        padding: 'calc(var(--base) / 2)',
        border: '1px solid var(--theme-warning-500)',
        background: 'var(--theme-warning-100)',
        borderRadius: 'var(--style-radius-s)',
      }}
    >
      <strong>
        {broken.length === 1 ? '1 broken link' : `${broken.length} broken links`}
      </strong>
      <p style={{ margin: 'calc(var(--base) / 4) 0' }}>Readers cannot follow these links. Fix them before publishing.</p>
      <ul style={{ margin: 0, paddingLeft: 'var(--base)' }}>
        {broken.map((link, index) => (
          <li data-broken-link={link.path} key={`${link.path}-${index}`}>
            “{link.label}”{link.locale ? ` (${link.locale})` : ''} →{' '}
            {link.target && link.reason !== 'missing' ? (
              <a href={`${routes.admin}/collections/${link.target.relationTo}/${link.target.id}`}>
                {link.target.title ?? `${link.target.relationTo} ${link.target.id}`}
              </a>
            ) : link.target ? (
              `${link.target.relationTo} ${link.target.id}`
            ) : (
              'a removed document'
            )}{' '}
            <em>({REASONS[link.reason]})</em>
          </li>
        ))}
      </ul>
    </div>
  )
}
