// The controls of the request console's form, one per field as form-schema.ts decided: every
// control is labelled with its property's name, and leaving a field empty (or "(unset)") omits it.
import { useState } from 'preact/hooks';
import { chosenOption, isRecord, parseLines, startValue, withProperty, type Field, type Property } from './form-schema.js';

type Change = (value: unknown) => void;

/** An object's fields, each under its property's name. */
export function ObjectFields({ field, value, onChange, path }: { field: Extract<Field, { kind: 'object' }>; value: unknown; onChange: Change; path: string }) {
  return (
    <>
      {field.properties.map((property) => (
        <PropertyControl key={property.name} property={property} value={isRecord(value) ? value[property.name] : undefined} path={`${path}.${property.name}`} onChange={(next) => onChange(withProperty(value, property.name, next))} />
      ))}
    </>
  );
}

function PropertyControl({ property, value, onChange, path }: { property: Property; value: unknown; onChange: Change; path: string }) {
  const id = `param${path.replace(/[^\w-]/g, '_')}`;
  const optional = !property.required || property.nullable;
  const hint = property.description !== undefined ? `${id}-hint` : undefined;
  const { field } = property;
  if (field.kind === 'object' || (field.kind === 'choice' && chosenObject(field, value))) {
    return (
      <fieldset class="form-object">
        <legend>
          {property.name}
          {property.required && <Required />}
        </legend>
        {field.kind === 'choice' && <ChoiceSelect id={id} label={property.name} field={field} value={value} onChange={onChange} />}
        <ObjectFields field={field.kind === 'object' ? field : chosenObject(field, value)!} value={value} path={path} onChange={(next) => onChange(optional && field.kind === 'object' && isEmptyObject(next) ? undefined : next)} />
      </fieldset>
    );
  }
  return (
    <div class="form-field">
      <label for={id}>
        {property.name}
        {property.required && <Required />}
      </label>
      <Control id={id} field={field} value={value} onChange={onChange} required={!optional} describedBy={hint} />
      {hint !== undefined && (
        <small id={hint} class="form-hint">
          {property.description}
        </small>
      )}
    </div>
  );
}

function Control({ id, field, value, onChange, required, describedBy }: { id: string; field: Field; value: unknown; onChange: Change; required: boolean; describedBy: string | undefined }) {
  const common = { id, 'aria-describedby': describedBy, 'aria-required': required };
  switch (field.kind) {
    case 'string':
      if (field.enum !== undefined) {
        return (
          <select {...common} value={typeof value === 'string' ? value : ''} onChange={(event) => onChange(event.currentTarget.value || undefined)}>
            <option value="">(unset)</option>
            {field.enum.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        );
      }
      return <input {...common} type="text" value={typeof value === 'string' ? value : ''} onInput={(event) => onChange(event.currentTarget.value === '' ? undefined : event.currentTarget.value)} />;
    case 'number':
      return <input {...common} type="number" step={field.integer ? 1 : 'any'} value={typeof value === 'number' ? String(value) : ''} onInput={(event) => onChange(numberOf(event.currentTarget.value))} />;
    case 'boolean':
      if (required) return <input {...common} type="checkbox" checked={value === true} onChange={(event) => onChange(event.currentTarget.checked)} />;
      return (
        <select {...common} value={value === true ? 'true' : value === false ? 'false' : ''} onChange={(event) => onChange(event.currentTarget.value === '' ? undefined : event.currentTarget.value === 'true')}>
          <option value="">(unset)</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      );
    case 'choice':
      return <ChoiceSelect id={id} field={field} value={value} onChange={onChange} describedBy={describedBy} />;
    case 'lines':
      return <DraftText id={id} describedBy={describedBy} value={value} format={(current) => (Array.isArray(current) ? current.join('\n') : '')} parse={(text) => ({ value: parseLines(text, field.item) })} placeholder="one per line" onChange={onChange} />;
    case 'object':
    case 'json':
      return <DraftText id={id} describedBy={describedBy} value={value} format={(current) => (current === undefined ? '' : JSON.stringify(current, null, 2))} parse={parseJsonField} placeholder="JSON" onChange={onChange} />;
  }
}

/** The select of a choice: "(unset)", then its constants and variants. */
function ChoiceSelect({ id, label, field, value, onChange, describedBy }: { id: string; label?: string; field: Extract<Field, { kind: 'choice' }>; value: unknown; onChange: Change; describedBy?: string | undefined }) {
  const chosen = chosenOption(field, value);
  return (
    <select id={id} aria-label={label} aria-describedby={describedBy} value={String(chosen)} onChange={(event) => {
      const index = Number(event.currentTarget.value);
      onChange(index < 0 ? undefined : startValue(field.options[index]!));
    }}>
      <option value="-1">(unset)</option>
      {field.options.map((option, index) => (
        <option key={index} value={String(index)}>
          {'constant' in option ? option.constant : `${option.label} (object)`}
        </option>
      ))}
    </select>
  );
}

/**
 * A textarea whose text is kept while it is being typed (a half-typed line or JSON value is not
 * yet a value); it shows the value's own text again when the value changes from elsewhere.
 */
function DraftText({ id, describedBy, value, format, parse, placeholder, onChange }: {
  id: string;
  describedBy: string | undefined;
  value: unknown;
  format: (value: unknown) => string;
  parse: (text: string) => { value: unknown } | { error: string };
  placeholder: string;
  onChange?: Change;
}) {
  const [draft, setDraft] = useState<{ text: string; for: string } | null>(null);
  const shown = JSON.stringify(value);
  const text = draft !== null && draft.for === shown ? draft.text : format(value);
  const parsed = parse(text);
  const error = 'error' in parsed ? parsed.error : null;
  return (
    <>
      <textarea id={id} rows={2} placeholder={placeholder} aria-describedby={describedBy} aria-invalid={error !== null} value={text} onInput={(event) => {
        const next = event.currentTarget.value;
        const result = parse(next);
        const nextValue = 'value' in result ? result.value : value;
        setDraft({ text: next, for: JSON.stringify(nextValue) });
        if ('value' in result) onChange?.(result.value);
      }} />
      {error !== null && <small class="form-error">{error}</small>}
    </>
  );
}

function parseJsonField(text: string): { value: unknown } | { error: string } {
  if (text.trim() === '') return { value: undefined };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: `not JSON: ${(error as Error).message}` };
  }
}

function chosenObject(field: Extract<Field, { kind: 'choice' }>, value: unknown): Extract<Field, { kind: 'object' }> | undefined {
  const option = field.options[chosenOption(field, value)];
  return option !== undefined && 'field' in option ? option.field : undefined;
}

function numberOf(text: string): number | undefined {
  const value = Number(text);
  return text.trim() === '' || Number.isNaN(value) ? undefined : value;
}

function isEmptyObject(value: unknown): boolean {
  return isRecord(value) && Object.keys(value).length === 0;
}

function Required() {
  return (
    <span class="form-required" aria-hidden="true" title="required">
      {' *'}
    </span>
  );
}
