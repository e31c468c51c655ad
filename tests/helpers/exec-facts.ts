// The facts of a command run under on-request and workspace-write with nothing special about it:
// the base each approval-decision table varies one fact of.
import type { ExecFacts } from '../../src/engine/approvals/decide.js';

const workspaceWrite = { type: 'workspaceWrite' as const, writableRoots: ['/w'] };

export const plainExecFacts: ExecFacts = {
  policy: 'on-request',
  sandbox: workspaceWrite,
  escalated: false,
  justification: null,
  onlyReads: false,
  ruleAllows: false,
  sessionAllows: false,
  sandboxDenial: null,
  input: false,
  sandboxUnavailable: null,
};
