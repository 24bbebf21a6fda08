'use client'
import { ShimmerEffect } from '@payloadcms/ui'
import React, { useEffect, useState } from 'react'

import { loadMonaco } from './loadMonaco'

/**
 * Renders its children (a Payload field that uses Monaco) once Monaco is loaded from this server;
 * until then the shimmer Payload shows itself, and an error that says what failed.
 */
export const MonacoReady = ({ children }: { children: React.ReactNode }) => {
  const [state, setState] = useState<'loading' | 'ready' | Error>('loading')
  useEffect(() => {
    let current = true
    loadMonaco().then(
      () => current && setState('ready'),
      (error: unknown) => current && setState(error instanceof Error ? error : new Error(String(error))),
    )
    return () => {
      current = false
    }
  }, [])
  if (state === 'ready') return <>{children}</>
  if (state instanceof Error) {
    return (
      <p className="field-error" role="alert">
        The code editor could not be loaded ({state.message}). Reload the page to try again.
      </p>
    )
  }
  return <ShimmerEffect height="12rem" />
}
