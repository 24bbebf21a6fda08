import loader from '@monaco-editor/loader'

import { MONACO_VS_PATH } from './version'

type MonacoWindow = Window & { monaco?: { editor?: unknown } }

let loading: Promise<void> | undefined

/**
 * Loads Monaco from this server and hands it to Payload's code editor. @payloadcms/ui bundles its
 * own copy of @monaco-editor/loader, set to a public CDN and out of reach of `loader.config`; that
 * loader takes an editor already on `window.monaco` instead of fetching one (its documented
 * handoff), so Monaco is loaded here first, with a loader pointed at our own copy.
 */
export const loadMonaco = (): Promise<void> => {
  loading ??= (async () => {
    const global = window as MonacoWindow
    if (global.monaco?.editor) return
    // Relative to this origin, so the files and the web workers they start are same-origin.
    loader.config({ paths: { vs: new URL(MONACO_VS_PATH, window.location.origin).href } })
    global.monaco = (await loader.init()) as MonacoWindow['monaco']
  })().catch((error: unknown) => {
    loading = undefined
    throw error
  })
  return loading
}
