'use client'
import type { CodeFieldClientProps, JSONFieldClientProps } from 'payload'
import { CodeField as PayloadCodeField, JSONField as PayloadJSONField } from '@payloadcms/ui'
import React from 'react'

import { MonacoReady } from './MonacoReady'

/** Payload's code field, once Monaco is loaded from this server (see loadMonaco). */
export const CodeField = (props: CodeFieldClientProps) => (
  <MonacoReady>
    <PayloadCodeField {...props} />
  </MonacoReady>
)

/** Payload's JSON field, which edits in Monaco too. */
export const JSONField = (props: JSONFieldClientProps) => (
  <MonacoReady>
    <PayloadJSONField {...props} />
  </MonacoReady>
)
