/** A file part of a multipart form. */
export interface UploadedFile {
  name: string;
  type: string;
  bytes: Buffer;
}

/** The text fields and files of a multipart/form-data body. */
export interface MultipartForm {
  fields: Map<string, string[]>;
  files: Map<string, UploadedFile[]>;
}

/**
 * Reads a `multipart/form-data` body that a `rawBody` route received (its size already capped by the route's limit),
 * with the WHATWG parser Node ships (undici's `Request.formData`): no extra dependency, and the same parsing a
 * browser's own `fetch` does. Null when the body is not a multipart form or cannot be read.
 */
export async function readMultipartForm(raw: { bytes: Buffer; contentType: string } | null): Promise<MultipartForm | null> {
  if (!raw || !/^multipart\/form-data\s*;/i.test(raw.contentType)) return null;
  let form: FormData;
  try {
    form = await new Request('http://console.invalid/', { method: 'POST', body: new Blob([new Uint8Array(raw.bytes)]), headers: { 'content-type': raw.contentType } }).formData();
  } catch {
    return null;
  }
  const out: MultipartForm = { fields: new Map(), files: new Map() };
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') out.fields.set(name, [...(out.fields.get(name) ?? []), value]);
    else out.files.set(name, [...(out.files.get(name) ?? []), { name: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) }]);
  }
  return out;
}

/** The one value of a text field, or undefined when it is missing or sent more than once. */
export function singleField(form: MultipartForm, name: string): string | undefined {
  const v = form.fields.get(name);
  return v && v.length === 1 ? v[0] : undefined;
}
