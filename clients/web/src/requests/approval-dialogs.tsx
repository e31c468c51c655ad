// Command and file-change approvals: what is asked (the command, or the diff of the pending
// changes found in the folded thread) and a button per decision the request offers.
import type { CommandExecutionRequestApprovalParams, FileChangeRequestApprovalParams } from '../../../../generated/protocol.js';
import { DiffView } from '../items/diff-view.js';
import type { DialogBodyProps, DialogKind } from './request-dialogs.js';
import { DEFAULT_COMMAND_DECISIONS, FILE_DECISIONS, decisionLabel, escapeDecision, type CommandDecision } from './decisions.js';

const commandDecisions = (params: CommandExecutionRequestApprovalParams): readonly CommandDecision[] => params.availableDecisions ?? DEFAULT_COMMAND_DECISIONS;

export const CommandApproval: DialogKind = {
  title: 'Approval requested',
  body: ({ request }: DialogBodyProps) => {
    const params = request.params as CommandExecutionRequestApprovalParams;
    // Codex sends the network context of a blocked connection; Keel's schema has no such field yet.
    const network = (request.params as { networkApprovalContext?: unknown }).networkApprovalContext;
    return (
      <>
        <dl class="request-facts">
          <dt>Command</dt>
          <dd>
            <code>{params.command ?? '(not given)'}</code>
          </dd>
          {params.cwd && <Fact term="Working directory" value={params.cwd} />}
          {params.reason && <Fact term="Reason" value={params.reason} />}
          {params.proposedExecpolicyAmendment && <Fact term="Proposed rule" value={params.proposedExecpolicyAmendment.join(' ')} />}
          {network !== undefined && network !== null && <Fact term="Network" value={JSON.stringify(network)} />}
        </dl>
        <DecisionButtons decisions={commandDecisions(params)} answer={(decision) => request.answer({ decision })} />
      </>
    );
  },
  onEscape: (request) => {
    const decision = escapeDecision(commandDecisions(request.params as CommandExecutionRequestApprovalParams));
    if (decision !== undefined) request.answer({ decision });
  },
};

export const FileChangeApproval: DialogKind = {
  title: 'Approval requested',
  body: ({ model, request }: DialogBodyProps) => {
    const params = request.params as FileChangeRequestApprovalParams;
    const item = model
      .wireThread(params.threadId)
      ?.turns.find((turn) => turn.id === params.turnId)
      ?.items.find((entry) => entry.id === params.itemId);
    const changes = item?.type === 'fileChange' ? item.changes : [];
    return (
      <>
        <dl class="request-facts">
          <dt>File changes</dt>
          <dd>{changes.length === 0 ? 'not known yet' : changes.map((change) => change.path).join(', ')}</dd>
          {params.reason && <Fact term="Reason" value={params.reason} />}
          {params.grantRoot && <Fact term="Grant write access to" value={params.grantRoot} />}
        </dl>
        {changes.map((change) => (
          <DiffView key={change.path} change={change} />
        ))}
        <DecisionButtons decisions={FILE_DECISIONS} answer={(decision) => request.answer({ decision })} />
      </>
    );
  },
  onEscape: (request) => request.answer({ decision: 'cancel' }),
};

function Fact({ term, value }: { term: string; value: string }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </>
  );
}

function DecisionButtons({ decisions, answer }: { decisions: readonly (CommandDecision | string)[]; answer: (decision: CommandDecision | string) => void }) {
  return (
    <div class="request-actions">
      {decisions.map((decision) => (
        <button key={JSON.stringify(decision)} type="button" onClick={() => answer(decision)}>
          {decisionLabel(decision)}
        </button>
      ))}
    </div>
  );
}
