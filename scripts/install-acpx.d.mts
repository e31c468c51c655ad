// Types of install-acpx.mjs, for the tests that import its paths (tsc does not read .mjs files).
export declare const ACPX_VERSION: string;
export declare const NODE_VERSION: string;
export declare function acpxDir(): string;
export declare function acpxPaths(dir?: string): { cli: string; node: string };
export declare function ensureAcpx(log?: (line: string) => void): { cli: string; node: string };
