// The size of a turn's text, checked as Codex checks it before a turn starts or is steered: Keel
// stores every input in the thread's log, and Codex clients know this error.
import { RpcErrors } from '../../protocol/errors.js';
import { limits } from '../../protocol/schemas/limits.js';
import type { ParamsOf } from '../../protocol/wire-types.js';

/** Characters as Codex counts them (Rust's `chars()`: code points, a surrogate pair is one). */
function codePoints(text: string): number {
  let pairs = 0;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return text.length - pairs;
}

/** Codex refuses a turn's text over its maximum (all text items together) before anything starts. */
export function checkInputText(input: ParamsOf<'turn/start'>['input']): void {
  let chars = 0;
  for (const item of input) if (item.type === 'text') chars += codePoints(item.text);
  if (chars > limits.turnInputText) throw RpcErrors.inputTooLarge(chars, limits.turnInputText);
}
