import { Pill } from '@payloadcms/ui'
import type { UIFieldServerProps } from 'payload'
import React from 'react'

import { documentBuildStatus } from '../status'
import { formatTime, pillStyleOf } from './format'

const LABELS = { pending: 'Pending', sent: 'Sent', building: 'Building', live: 'Live', failed: 'Failed' } as const

/**
 * In a post's or page's sidebar: where its last published change is on its way to the site, per
 * build hook (pending, sent, building, live, failed). Rendered on the server from the change log,
 * the hooks' deliveries and the deploys' reports when the edit view loads (Payload does not render
 * a field's server component again after a save), so it says when it was read.
 */
export const DocumentBuildStatus = async ({ collectionSlug, id, payload, req }: UIFieldServerProps) => {
  if (id === undefined || id === null) return null
  const status = await documentBuildStatus({ payload, req }, collectionSlug, id)
  return (
    <div className="field-type document-build-status" data-document-build-status style={{ marginBottom: 'var(--base)' }}>
      <div className="field-label" style={{ marginBottom: 'calc(var(--base) / 4)' }}>
        Build status
      </div>
      {!status ? (
        <p style={{ color: 'var(--theme-elevation-500)', margin: 0 }}>Not published yet.</p>
      ) : status.hooks.length === 0 ? (
        <p style={{ color: 'var(--theme-elevation-500)', margin: 0 }}>No build hook watches this collection.</p>
      ) : (
        status.hooks.map((hook) => (
          <div data-build-state={hook.state} key={hook.hook.id} style={{ marginBottom: 'calc(var(--base) / 2)' }}>
            <div>
              <Pill pillStyle={pillStyleOf(hook.state)} size="small">
                {LABELS[hook.state]}
              </Pill>{' '}
              <span style={{ color: 'var(--theme-elevation-500)' }}>{hook.hook.name}</span>
            </div>
            <div style={{ fontSize: 'small', marginTop: 'calc(var(--base) / 4)' }}>
              {hook.detail}
              {hook.url && (
                <>
                  {' '}
                  <a href={hook.url} rel="noreferrer" target="_blank">
                    {hook.url}
                  </a>
                </>
              )}
              {hook.at && <div style={{ color: 'var(--theme-elevation-500)' }}>{formatTime(hook.at)}</div>}
            </div>
          </div>
        ))
      )}
      {status && (
        <div style={{ color: 'var(--theme-elevation-500)', fontSize: 'small' }}>
          Last change: {status.change.event}, {formatTime(status.change.changedAt)} (change {status.change.position}).
        </div>
      )}
      {status && (
        <div style={{ color: 'var(--theme-elevation-500)', fontSize: 'small' }}>
          As of {formatTime(new Date().toISOString())}; reload the page to see it move on.
        </div>
      )}
    </div>
  )
}
