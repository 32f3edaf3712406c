/** See newest-mtime.js. */
export function newestMtime(target: string): number;
