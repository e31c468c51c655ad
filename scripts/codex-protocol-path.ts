// Where the official Codex protocol Keel is checked against lives: vendored in the repository
// (vendor/codex-protocol/README.md), so tests and codegen need nothing beside the checkout.
// The version itself is named once, in src/protocol/codex-version.ts; tests, `npm run gen` and
// `npm run vendor:codex` find the files through here.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODEX_PROTOCOL_VERSION } from '../src/protocol/codex-version.js';

export { CODEX_PROTOCOL_VERSION };

export type CodexSurface = 'stable' | 'experimental';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Repository-relative, with forward slashes: also the name the generated files' stamps give. */
export function vendoredProtocolDir(version: string = CODEX_PROTOCOL_VERSION): string {
  return `vendor/codex-protocol/${version}`;
}

/** The vendored protocol of the version in use, as an absolute path. */
export const codexProtocolDir = path.join(repoRoot, vendoredProtocolDir());

export function schemaBundleName(surface: CodexSurface): string {
  return `codex_app_server_protocol.${surface}.schemas.json`;
}

/** Absolute path of one official JSON Schema bundle; `root` defaults to this checkout. */
export function schemaBundlePath(surface: CodexSurface, root: string = repoRoot, version: string = CODEX_PROTOCOL_VERSION): string {
  return path.join(root, vendoredProtocolDir(version), schemaBundleName(surface));
}

/** The release whose real server was recorded (transcripts, the method sweep, the methods list).
 * Newer releases are vendored as schema bundles only; the recordings stay the reference for message
 * order and for replaying an older client's traffic unchanged. */
export const RECORDED_PROTOCOL_VERSION = '0.169.0';

/** The recorded release's directory, as an absolute path. */
export const recordedProtocolDir = path.join(repoRoot, vendoredProtocolDir(RECORDED_PROTOCOL_VERSION));

/** The hand-written methods list and the recorded transcripts, inside a version's directory. */
export const methodsFileName = (version: string = RECORDED_PROTOCOL_VERSION) => `methods-${version}.md`;
export const transcriptsDirName = (version: string = RECORDED_PROTOCOL_VERSION) => `transcripts-${version}`;
