/** A labelled select with its error (announced with the field), for the tips and pledge pages' forms. */
export function SelectField(props: {
  name: string;
  label: string;
  options: readonly { value: string; label: string }[];
  value?: string | undefined;
  error?: string | undefined;
  hint?: string;
  id?: string;
}) {
  const id = props.id ?? `f-${props.name}`;
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
      <select id={id} name={props.name} aria-invalid={props.error ? 'true' : undefined} aria-describedby={described}>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === (props.value ?? '')}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A labelled multi-line text box with its error. */
export function TextAreaField(props: { name: string; label: string; value?: string; error?: string | undefined; hint?: string; maxLength?: number; rows?: number; id?: string }) {
  const id = props.id ?? `f-${props.name}`;
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
      <textarea id={id} name={props.name} rows={props.rows ?? 4} maxLength={props.maxLength} aria-invalid={props.error ? 'true' : undefined} aria-describedby={described}>
        {props.value ?? ''}
      </textarea>
    </div>
  );
}
