export declare const SERVER_BUNDLE: string
export declare const SERVER_HEAP_ARGS: string[]
export declare const SERVER_NODE_ARGS: string[]
export declare const buildStamp: (root?: string) => string
export declare const isBuildCurrent: (root?: string) => boolean
export declare const bundleServer: (root?: string) => Promise<void>
export declare const ensureProductionBuild: (
  root?: string,
  log?: (message: string) => void,
  options?: { force?: boolean },
) => Promise<boolean>
