// Injected by the bundler from package.json; falls back when run from source (tests).
declare const KEEL_VERSION: string | undefined;
export const keelVersion: string = typeof KEEL_VERSION === 'string' ? KEEL_VERSION : '0.0.0-dev';
