import { Pill } from '@payloadcms/ui'
import type { Payload, TypedUser } from 'payload'
import React from 'react'

import { editorialRole } from '../../access/roles'
import { BUILD_DELIVERIES, BUILD_HOOKS } from '../../buildHooks/collections'
import type { BuildDelivery, BuildDeploy, BuildHook } from '../../payload-types'
import { BUILD_DEPLOYS } from '../collection'
import { formatTime, pillStyleOf } from './format'

const SHOWN = 5

const cell: React.CSSProperties = { padding: 'calc(var(--base) / 4) calc(var(--base) / 2)', textAlign: 'left', verticalAlign: 'top' }
const head: React.CSSProperties = { ...cell, color: 'var(--theme-elevation-500)', fontWeight: 'normal' }

const Table = ({ columns, rows, empty }: { columns: string[]; rows: React.ReactNode[][]; empty: string }) =>
  rows.length === 0 ? (
    <p style={{ color: 'var(--theme-elevation-500)', margin: 0 }}>{empty}</p>
  ) : (
    <table style={{ borderCollapse: 'collapse', width: '100%' }}>
      <thead>
        <tr style={{ borderBottom: '1px solid var(--theme-elevation-100)' }}>
          {columns.map((column) => (
            <th key={column} style={head}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={index} style={{ borderBottom: '1px solid var(--theme-elevation-50)' }}>
            {row.map((value, column) => (
              <td key={column} style={cell}>
                {value}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )

const lastResponse = (delivery: BuildDelivery) => {
  const attempt = delivery.attempts?.at(-1)
  if (!attempt) return '—'
  return attempt.responseCode ? String(attempt.responseCode) : (attempt.error ?? '—')
}

type PanelProps = { hook: BuildHook; deliveries: BuildDelivery[]; deploys: BuildDeploy[]; adminRoute: string; linkToHook: boolean }

const HookPanel = ({ hook, deliveries, deploys, adminRoute, linkToHook }: PanelProps) => (
  <section
    data-build-hook={hook.id}
    style={{
      border: '1px solid var(--theme-elevation-100)',
      borderRadius: 'var(--style-radius-m)',
      padding: 'var(--base)',
      marginBottom: 'var(--base)',
    }}
  >
    <h3 style={{ margin: '0 0 calc(var(--base) / 2)' }}>
      {linkToHook ? <a href={`${adminRoute}/collections/${BUILD_HOOKS}/${hook.id}`}>{hook.name}</a> : hook.name}{' '}
      {!hook.enabled && <Pill pillStyle="error" size="small">turned off</Pill>}
    </h3>
    <div style={{ display: 'grid', gap: 'var(--base)', gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))' }}>
      <div data-build-deliveries>
        <h4 style={{ margin: '0 0 calc(var(--base) / 4)' }}>Last deliveries</h4>
        <Table
          columns={['Status', 'When', 'Changes', 'Response']}
          empty="No deliveries yet."
          rows={deliveries.map((delivery) => [
            <Pill key="status" pillStyle={pillStyleOf(delivery.status)} size="small">
              {delivery.status}
            </Pill>,
            formatTime(delivery.deliveredAt ?? delivery.nextAttemptAt ?? delivery.createdAt),
            delivery.changeCount ?? '—',
            lastResponse(delivery),
          ])}
        />
      </div>
      <div data-build-deploys>
        <h4 style={{ margin: '0 0 calc(var(--base) / 4)' }}>Last deploys</h4>
        <Table
          columns={['State', 'URL', 'When']}
          empty="No deploy has reported back yet."
          rows={deploys.map((deploy) => [
            <Pill key="state" pillStyle={pillStyleOf(deploy.state)} size="small">
              {deploy.state}
            </Pill>,
            deploy.url ? (
              <a href={deploy.url} rel="noreferrer" target="_blank">
                {deploy.url}
              </a>
            ) : (
              (deploy.error ?? '—')
            ),
            formatTime(deploy.reportedAt),
          ])}
        />
      </div>
    </div>
  </section>
)

/**
 * Above the dashboard: each build hook's last calls and the deploys that reported back. Shown to
 * the editorial team (editors see whether their work reached the site; nothing secret is shown:
 * no target URL, secret or token). Read with the Local API on the server.
 */
export const BuildStatusDashboard = async ({ payload, user }: { payload: Payload; user?: TypedUser | null }) => {
  const role = editorialRole(user)
  if (!role) return null
  const hooks = (await payload.find({ collection: BUILD_HOOKS, sort: 'name', pagination: false, depth: 0, overrideAccess: true })).docs
  if (hooks.length === 0) return null
  const panels = await Promise.all(
    hooks.map(async (hook) => {
      const [deliveries, deploys] = await Promise.all([
        payload.find({ collection: BUILD_DELIVERIES, where: { hook: { equals: hook.id } }, sort: '-createdAt', limit: SHOWN, depth: 0, overrideAccess: true }),
        payload.find({ collection: BUILD_DEPLOYS, where: { hook: { equals: hook.id } }, sort: '-reportedAt', limit: SHOWN, depth: 0, overrideAccess: true }),
      ])
      return { hook, deliveries: deliveries.docs, deploys: deploys.docs }
    }),
  )
  return (
    <div className="build-status-dashboard" style={{ marginBottom: 'calc(var(--base) * 2)' }}>
      <h2 style={{ marginBottom: 'var(--base)' }}>Builds</h2>
      {panels.map(({ hook, deliveries, deploys }) => (
        <HookPanel
          key={hook.id}
          adminRoute={payload.config.routes.admin}
          deliveries={deliveries}
          deploys={deploys}
          hook={hook}
          // Hooks are admins' to open and edit.
          linkToHook={role === 'admin'}
        />
      ))}
    </div>
  )
}
