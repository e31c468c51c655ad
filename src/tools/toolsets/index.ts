// The toolset each model family sees (models work best with the tools they were trained on), all
// reporting the same items on the wire: commandExecution, fileChange, plan, imageView.
//   openai    — Codex's model-facing contract: exec_command, write_stdin, apply_patch, update_plan, view_image
//   anthropic — Claude's own bash and text-editor tools, and update_plan
//   generic   — other OpenAI-compatible models: a small plain set (shell, apply_patch, reads, search, update_plan)
import type { Toolsets } from '../registry.js';
import { applyPatch } from '../builtin/apply-patch.js';
import { execCommand, writeStdin } from '../builtin/exec-command.js';
import { globFilesTool, grepFiles, listDir, readFile } from '../builtin/read-tools.js';
import { bash, shell } from '../builtin/shell-tools.js';
import { textEditor } from '../builtin/text-editor.js';
import { updatePlan } from '../builtin/update-plan.js';
import { viewImage } from '../builtin/view-image.js';

export function defaultToolsets(): Toolsets {
  return {
    openai: [execCommand, writeStdin, applyPatch, updatePlan, viewImage],
    anthropic: [bash, textEditor, updatePlan],
    generic: [shell, applyPatch, readFile, listDir, grepFiles, globFilesTool, updatePlan],
  };
}
