import type { ComponentChildren } from 'preact';
import { z } from 'zod';
import { describedBy, HintAndError } from '../../views/components.js';

/** One field's problem from a service (`{field, message}`), keyed by field for the form. */
export function errorsByField(errors: readonly { field: string; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) out[e.field] ??= e.message;
  return out;
}

/** A single text value of a form or query: a string up to `max` characters (a repeated field is refused), or absent. */
export const formText = (max: number) => z.string('Giá trị không hợp lệ.').max(max, `Tối đa ${max} ký tự.`).optional();

/** A checkbox: present (any value but "0"/"false") is on, absent is off; a repeated one is refused. */
export const formCheckbox = z
  .string('Giá trị không hợp lệ.')
  .max(10, 'Giá trị không hợp lệ.')
  .optional()
  .transform((v) => v !== undefined && v !== '' && v !== '0' && v !== 'false');

/** A group of checkboxes (or one): the values ticked, at most `max`, each at most 64 characters. */
export const formChoices = (max: number) =>
  z
    .union([z.string(), z.array(z.string())], 'Giá trị không hợp lệ.')
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.string().min(1, 'Giá trị không hợp lệ.').max(64, 'Giá trị không hợp lệ.')).max(max, `Chọn tối đa ${max} mục.`));

/** A labelled drop-down with its error. */
export function SelectField(props: { name: string; label: string; options: readonly { value: string; label: string }[]; value?: string | undefined; error?: string | undefined; hint?: string; required?: boolean; id?: string }) {
  const id = props.id ?? `f-${props.name}`;
  return (
    <div class={props.error ? 'field field-error' : 'field'}>
      <label for={id}>{props.label}</label>
      <HintAndError id={id} hint={props.hint} error={props.error} />
      <select id={id} name={props.name} required={props.required} aria-invalid={props.error ? 'true' : undefined} aria-describedby={describedBy(id, props.hint, props.error)}>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A labelled multi-line text with its error. */
export function TextAreaField(props: { name: string; label: string; value?: string | undefined; error?: string | undefined; hint?: string; maxLength?: number; rows?: number; required?: boolean }) {
  const id = `f-${props.name}`;
  return (
    <div class={props.error ? 'field field-error' : 'field'}>
      <label for={id}>{props.label}</label>
      <HintAndError id={id} hint={props.hint} error={props.error} />
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 6}
        maxLength={props.maxLength}
        required={props.required}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
      >
        {props.value ?? ''}
      </textarea>
    </div>
  );
}

/** One checkbox with its label after it. */
export function CheckboxField(props: { name: string; label: string; checked?: boolean; value?: string; id?: string; hint?: string }) {
  const id = props.id ?? `f-${props.name}`;
  return (
    <div class="field field-check">
      <input type="checkbox" id={id} name={props.name} value={props.value ?? 'on'} checked={props.checked} aria-describedby={props.hint ? `${id}-hint` : undefined} />
      <label for={id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

/** A group of checkboxes or radios under a legend, with the group's error. */
export function ChoiceGroup(props: { legend: string; name: string; error?: string | undefined; hint?: string; children?: ComponentChildren }) {
  const id = `g-${props.name}`;
  return (
    <fieldset class={props.error ? 'choices field-error' : 'choices'} aria-describedby={describedBy(id, props.hint, props.error)}>
      <legend>{props.legend}</legend>
      <HintAndError id={id} hint={props.hint} error={props.error} />
      {props.children}
    </fieldset>
  );
}

/** One radio button with its label after it. */
export function Radio(props: { name: string; value: string; label: string; checked?: boolean }) {
  const id = `f-${props.name}-${props.value}`;
  return (
    <div class="field field-check">
      <input type="radio" id={id} name={props.name} value={props.value} checked={props.checked} />
      <label for={id}>{props.label}</label>
    </div>
  );
}

/** The form's own problems (not tied to one field), as one error notice; nothing when there are none. */
export function FormErrors(props: { errors: Record<string, string> | undefined; fields?: readonly string[] }) {
  const errors = props.errors ?? {};
  const known = new Set(props.fields ?? []);
  const loose = Object.entries(errors).filter(([k]) => !known.has(k));
  if (Object.keys(errors).length === 0) return null;
  return (
    <div class="notice notice-error" role="alert">
      <p>Chưa lưu được: vui lòng sửa các mục được đánh dấu.</p>
      {loose.map(([, m]) => (
        <p>{m}</p>
      ))}
    </div>
  );
}
