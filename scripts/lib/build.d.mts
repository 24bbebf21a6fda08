export declare const buildStamp: (root?: string) => string
export declare const isBuildCurrent: (root?: string) => boolean
export declare const ensureProductionBuild: (root?: string, log?: (message: string) => void) => boolean
