// The params as JSON, in sync with the form: a form edit rewrites the text; a text edit that
// parses replaces the params (so what is typed here is what is sent); one that does not yet parse
// is kept as typed and marked invalid.
import { useState } from 'preact/hooks';

export function ParamsJson({ value, onChange }: { value: unknown; onChange: (value: unknown) => void }) {
  const [draft, setDraft] = useState<{ text: string; for: string } | null>(null);
  const current = JSON.stringify(value);
  const text = draft !== null && draft.for === current ? draft.text : JSON.stringify(value, null, 2);
  let error: string | null = null;
  try {
    JSON.parse(text);
  } catch (caught) {
    error = (caught as Error).message;
  }
  return (
    <div class="form-field console-json">
      <label for="console-params-json">Params (JSON)</label>
      <textarea id="console-params-json" rows={6} spellcheck={false} aria-invalid={error !== null} aria-describedby={error !== null ? 'console-params-json-error' : undefined} value={text} onInput={(event) => {
        const next = event.currentTarget.value;
        try {
          const parsed = JSON.parse(next) as unknown;
          setDraft({ text: next, for: JSON.stringify(parsed) });
          onChange(parsed);
        } catch {
          setDraft({ text: next, for: current });
        }
      }} />
      {error !== null && (
        <small id="console-params-json-error" class="form-error">
          not JSON yet: {error}
        </small>
      )}
    </div>
  );
}
