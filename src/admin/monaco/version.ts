/**
 * The Monaco release Greenroom serves to the admin panel: the one @monaco-editor/loader (bundled into
 * @payloadcms/ui) was built against, so the editor Payload drives is the editor it expects. Also the
 * versioned part of its URL, which lets browsers keep the files for good. test/unit/editorAdmin.test.ts
 * fails when the installed monaco-editor or the loader's own default drifts from it.
 */
export const MONACO_VERSION = '0.55.1'

/** Where the server answers Monaco's files (the `min/vs` folder of the monaco-editor package). */
export const MONACO_ROUTE = `/admin-assets/monaco/${MONACO_VERSION}`

/** What @monaco-editor/loader calls `paths.vs`. */
export const MONACO_VS_PATH = `${MONACO_ROUTE}/vs`
