import { Pill } from '@payloadcms/ui'
import type { Payload, TypedUser } from 'payload'
import { createLocalReq } from 'payload'
import React from 'react'

import { editorialRole } from '../../access/roles'
import { formatInTimeZone } from '../scheduling/timeZone'
import type { ChangeItem, DraftItem, ScheduledItem } from './queries'
import { myDrafts, recentChangesByOthers, scheduled, siteUrl } from './queries'

const panel: React.CSSProperties = {
  border: '1px solid var(--theme-elevation-100)',
  borderRadius: 'var(--style-radius-m)',
  padding: 'var(--base)',
}
const list: React.CSSProperties = { listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: 'calc(var(--base) / 3)' }
const muted: React.CSSProperties = { color: 'var(--theme-elevation-500)' }

const Panel = ({ title, name, children }: { title: string; name: string; children: React.ReactNode }) => (
  <section aria-label={title} data-dashboard-panel={name} style={panel}>
    <h3 style={{ margin: '0 0 calc(var(--base) / 2)' }}>{title}</h3>
    {children}
  </section>
)

const Empty = ({ children }: { children: React.ReactNode }) => <p style={{ ...muted, margin: 0 }}>{children}</p>

const SINGULAR: Record<string, string> = { posts: 'Post', pages: 'Page' }

/**
 * The top of the dashboard, what an editor needs first: their drafts, what is scheduled to go live
 * or come down and when (in the site's time zone), what others changed lately (from the audit
 * trail, when there is one), and the way to the site. The builds panel
 * (src/buildStatus/components/BuildStatusDashboard.tsx) follows. Read on the server through the
 * Local API as the signed-in person: a handful of small queries.
 */
export const EditorDashboard = async ({ payload, user, timeZone }: { payload: Payload; user?: TypedUser | null; timeZone: string }) => {
  if (!user || !editorialRole(user)) return null
  const req = await createLocalReq({ user }, payload)
  const [drafts, upcoming, changes, site] = await Promise.all([
    myDrafts(req),
    scheduled(req),
    recentChangesByOthers(req),
    siteUrl(req).catch(() => ''),
  ])
  const admin = payload.config.routes.admin
  const editLink = (collection: string, id: number | string) => `${admin}/collections/${collection}/${id}`
  const time = (value: string) => formatInTimeZone(value, timeZone)

  return (
    <div className="editor-dashboard" style={{ marginBottom: 'calc(var(--base) * 2)' }}>
      <div style={{ display: 'flex', alignItems: 'baseline', justifyContent: 'space-between', gap: 'var(--base)', flexWrap: 'wrap' }}>
        <h2 style={{ margin: '0 0 var(--base)' }}>Your desk</h2>
        {site && (
          <a data-site-link href={site} rel="noreferrer" target="_blank">
            View the site: {site.replace(/^https?:\/\//, '')} ↗
          </a>
        )}
      </div>
      <div style={{ display: 'grid', gap: 'var(--base)', gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))' }}>
        <Panel name="drafts" title="Your drafts">
          {drafts.length === 0 ? (
            <Empty>No drafts: everything you work on is published.</Empty>
          ) : (
            <ul style={list}>
              {drafts.map((draft: DraftItem) => (
                <li key={`${draft.collection}:${draft.id}`}>
                  <a href={editLink(draft.collection, draft.id)}>{draft.title}</a>{' '}
                  <Pill pillStyle={draft.hasPublishedVersion ? 'warning' : 'light-gray'} size="small">
                    {draft.hasPublishedVersion ? 'unpublished changes' : 'draft'}
                  </Pill>
                  <div style={muted}>
                    {SINGULAR[draft.collection]} · edited {time(draft.updatedAt)}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </Panel>
        <Panel name="scheduled" title="Scheduled">
          {upcoming.length === 0 ? (
            <Empty>Nothing is scheduled to publish or unpublish.</Empty>
          ) : (
            <ul style={list}>
              {upcoming.map((item: ScheduledItem) => (
                <li key={String(item.jobId)}>
                  <Pill pillStyle={item.failed ? 'error' : item.type === 'publish' ? 'success' : 'light-gray'} size="small">
                    {item.failed ? `${item.type} failed` : item.type}
                  </Pill>{' '}
                  {item.collection && item.id !== undefined ? (
                    <a href={editLink(item.collection, item.id)}>{item.title}</a>
                  ) : (
                    <a href={`${admin}/globals/${item.global}`}>{item.title}</a>
                  )}
                  <div style={muted}>
                    <time dateTime={item.waitUntil}>{time(item.waitUntil)}</time>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </Panel>
        {changes && (
          <Panel name="changes" title="Recent changes by others">
            {changes.length === 0 ? (
              <Empty>Nobody else has changed anything yet.</Empty>
            ) : (
              <ul style={list}>
                {changes.map((change: ChangeItem) => {
                  const isCollection = Boolean(payload.collections[change.entity as never]) && change.documentId
                  const href = isCollection
                    ? editLink(change.entity, change.documentId!)
                    : payload.config.globals.some((global) => global.slug === change.entity)
                      ? `${admin}/globals/${change.entity}`
                      : undefined
                  const what = `${change.entity}${change.documentId ? ` #${change.documentId}` : ''}`
                  return (
                    <li key={String(change.id)}>
                      {change.actorLabel || 'A job or script'} · {change.action} {href ? <a href={href}>{what}</a> : what}
                      <div style={muted}>{time(change.createdAt)}</div>
                    </li>
                  )
                })}
              </ul>
            )}
          </Panel>
        )}
      </div>
      <p style={{ ...muted, margin: 'calc(var(--base) / 2) 0 0' }}>Times in {timeZone}, the site&apos;s time zone.</p>
    </div>
  )
}
