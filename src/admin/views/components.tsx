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

/** A labelled text input with its error (announced with the field, `aria-describedby`). */
export function TextField(props: {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'number' | 'search' | 'tel';
  value?: string;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  maxLength?: number;
}) {
  const id = `f-${props.name}`;
  const described = [props.hint ? `${id}-hint` : null, props.error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div class={props.error ? 'field field-error' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="error" id={`${id}-error`}>
          {props.error}
        </p>
      )}
      <input
        id={id}
        name={props.name}
        // preact types each input type separately; the union is fine at run time.
        type={(props.type ?? 'text') as 'text'}
        value={props.value ?? ''}
        required={props.required}
        autocomplete={props.autocomplete}
        maxLength={props.maxLength}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described}
      />
    </div>
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
