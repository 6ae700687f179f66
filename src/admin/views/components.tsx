import type { ComponentChildren } from 'preact';
import { CSRF_FIELD } from '../http/csrf.js';

/** The hidden CSRF field every console POST form carries. */
export function CsrfField(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />;
}

/** A POST form with its CSRF field. */
export function PostForm(props: { action: string; csrfToken: string; class?: string; children?: ComponentChildren }) {
  return (
    <form method="post" action={props.action} class={props.class}>
      <CsrfField token={props.csrfToken} />
      {props.children}
    </form>
  );
}

/** The ids of a field's hint and error, for its control's `aria-describedby`; none when it has neither. */
export function describedBy(id: string, hint?: string | undefined, error?: string | undefined): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

/**
 * The attributes that tie a field's control to its hint and error (announced with the field); spread them last on the
 * control, after its `id` and `name`.
 */
export function fieldAria(id: string, hint?: string | undefined, error?: string | undefined) {
  return { 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': describedBy(id, hint, error) };
}

/** A field's hint and error, each with the id its control's `aria-describedby` names. */
export function HintAndError(props: { id: string; hint?: string | undefined; error?: string | undefined }) {
  return (
    <>
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </>
  );
}

/**
 * What every labelled field shares: its label (tied to the control by `id`), then its hint and error, then the
 * control itself (`children`, carrying `id` and `fieldAria(id, hint, error)`).
 */
export function Field(props: { id: string; label: string; hint?: string | undefined; error?: string | undefined; children?: ComponentChildren }) {
  return (
    <div class={props.error ? 'field field-error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      <HintAndError id={props.id} hint={props.hint} error={props.error} />
      {props.children}
    </div>
  );
}

/** What the labelled fields below take: the control's `name` (its id `f-<name>` unless `id` is given), label, value, hint and error. */
export type FieldProps = {
  name: string;
  label: string;
  value?: string | undefined;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  id?: string;
};

/** A labelled text input with its error (announced with the field, `aria-describedby`). */
export function TextField(
  props: FieldProps & {
    type?: 'text' | 'email' | 'password' | 'number' | 'search' | 'tel' | 'date';
    autocomplete?: string;
    maxLength?: number;
    min?: number;
    max?: number;
    inputMode?: 'numeric' | 'decimal' | 'tel' | 'email' | 'search' | 'text';
  },
) {
  const id = props.id ?? `f-${props.name}`;
  return (
    <Field id={id} label={props.label} hint={props.hint} error={props.error}>
      <input
        id={id}
        name={props.name}
        // preact types each input type separately; the union is fine at run time.
        type={(props.type ?? 'text') as 'text'}
        value={props.value ?? ''}
        required={props.required}
        autocomplete={props.autocomplete}
        maxLength={props.maxLength}
        min={props.min}
        max={props.max}
        inputMode={props.inputMode}
        {...fieldAria(id, props.hint, props.error)}
      />
    </Field>
  );
}

/**
 * A labelled drop-down with its error (announced with the field): `options` (the one whose value is `value` chosen),
 * or `children` for options of its own (groups, say).
 */
export function SelectField(props: FieldProps & { options?: readonly { value: string; label: string }[]; children?: ComponentChildren }) {
  const id = props.id ?? `f-${props.name}`;
  return (
    <Field id={id} label={props.label} hint={props.hint} error={props.error}>
      <select id={id} name={props.name} required={props.required} {...fieldAria(id, props.hint, props.error)}>
        {props.options?.map((o) => (
          <option value={o.value} selected={o.value === (props.value ?? '')}>
            {o.label}
          </option>
        ))}
        {props.children}
      </select>
    </Field>
  );
}

/** A labelled multi-line text box with its error (4 rows unless told). */
export function TextAreaField(props: FieldProps & { maxLength?: number; rows?: number }) {
  const id = props.id ?? `f-${props.name}`;
  return (
    <Field id={id} label={props.label} hint={props.hint} error={props.error}>
      <textarea id={id} name={props.name} rows={props.rows ?? 4} maxLength={props.maxLength} required={props.required} {...fieldAria(id, props.hint, props.error)}>
        {props.value ?? ''}
      </textarea>
    </Field>
  );
}

/** A message box: `error` and `warning` are announced (role=alert), `info` and `success` are not. */
export function Notice(props: { kind: 'info' | 'success' | 'warning' | 'error'; children?: ComponentChildren }) {
  const alert = props.kind === 'error' || props.kind === 'warning';
  return (
    <div class={`notice notice-${props.kind}`} role={alert ? 'alert' : undefined}>
      {props.children}
    </div>
  );
}

/** A table with a caption (screen readers announce it) that scrolls sideways on a narrow screen, by keyboard too (a focusable region). */
export function DataTable(props: { caption: string; head: readonly string[]; children?: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={props.caption} tabIndex={0}>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.head.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
