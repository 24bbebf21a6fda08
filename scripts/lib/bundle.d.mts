export declare const bundleEntry: (entry: string, outfile: string, root?: string) => Promise<string>
export declare const SCRATCH_DIR: string
export declare const RUNTIME_NODE_ARGS: string[]
