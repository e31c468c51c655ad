// Server requests waiting for the user, one dialog at a time, oldest first, with a count of the
// others waiting. Each kind of request has its own body; the shell moves focus into the dialog,
// keeps Tab inside it, and maps Escape to the request's Cancel/Decline where the protocol has one.
import { useEffect, useRef } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { InspectorModel, PendingServerRequest } from '../model/inspector-model.js';
import { CommandApproval, FileChangeApproval } from './approval-dialogs.js';
import { QuestionsDialog } from './questions-dialog.js';
import { ElicitationDialog } from './elicitation-dialog.js';
import { ToolCallDialog, OtherRequestDialog } from './tool-call-dialog.js';
import './requests.css';

export interface DialogBodyProps {
  model: InspectorModel;
  request: PendingServerRequest;
}

/** What a dialog body gives the shell: its title and what Escape does (none: Escape does nothing). */
export interface DialogKind {
  title: string;
  body: (props: DialogBodyProps) => ComponentChildren;
  onEscape?: (request: PendingServerRequest) => void;
}

function kindOf(method: string): DialogKind {
  switch (method) {
    case 'item/commandExecution/requestApproval':
      return CommandApproval;
    case 'item/fileChange/requestApproval':
      return FileChangeApproval;
    case 'item/tool/requestUserInput':
      return QuestionsDialog;
    case 'mcpServer/elicitation/request':
      return ElicitationDialog;
    case 'item/tool/call':
      return ToolCallDialog;
    default:
      return OtherRequestDialog;
  }
}

export function RequestDialogs({ model }: { model: InspectorModel }) {
  const request = model.pending[0];
  if (request === undefined) return null;
  const kind = kindOf(request.method);
  return (
    <DialogShell key={request.id} kind={kind} request={request} waiting={model.pending.length - 1}>
      {kind.body({ model, request })}
    </DialogShell>
  );
}

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), textarea, select, [href], [tabindex]:not([tabindex="-1"])';

function DialogShell({ kind, request, waiting, children }: { kind: DialogKind; request: PendingServerRequest; waiting: number; children: ComponentChildren }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const first = ref.current?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? ref.current)?.focus();
  }, [request.id]);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && kind.onEscape) {
      event.preventDefault();
      kind.onEscape(request);
    } else if (event.key === 'Tab' && ref.current) {
      const all = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
      if (all.length === 0) return;
      const [first, last] = [all[0]!, all[all.length - 1]!];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  };
  return (
    <div class="dialog-backdrop">
      <div ref={ref} role="dialog" aria-modal="true" aria-label={kind.title} aria-describedby="dialog-method" class="dialog request-dialog" tabIndex={-1} onKeyDown={onKeyDown}>
        <h2>{kind.title}</h2>
        <p id="dialog-method" class="request-method">
          <code>{request.method}</code>
          {waiting > 0 && <span class="request-waiting"> · {waiting} more waiting</span>}
        </p>
        {children}
      </div>
    </div>
  );
}
