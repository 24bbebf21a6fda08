import type { Pill } from '@payloadcms/ui'
import type React from 'react'

type PillStyle = React.ComponentProps<typeof Pill>['pillStyle']

/** A time as the server renders it, in UTC so every editor reads the same. */
export const formatTime = (value: string | null | undefined): string =>
  value ? `${new Date(value).toISOString().slice(0, 19).replace('T', ' ')} UTC` : '—'

/** Payload's pill colours for the states of deliveries, deploys and documents. */
export const pillStyleOf = (state: string): PillStyle => {
  switch (state) {
    case 'live':
    case 'delivered':
      return 'success'
    case 'failed':
    case 'disabled':
      return 'error'
    case 'building':
    case 'delivering':
    case 'retrying':
    case 'sent':
      return 'warning'
    default:
      return 'light-gray'
  }
}
