/** See server-build.js: the CLI module to import, the bundle built first if stale. */
export function serverEntry(root?: string): Promise<string>;
