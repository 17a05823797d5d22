/**
 * Just enough HTML reading to drive Keycloak's own login, consent and device pages over HTTP:
 * forms with their inputs and buttons, and the message a page shows. Both the `keycloak` (24.x) and
 * `keycloak.v2` (26.x) login themes render plain server-side forms, so no DOM is needed.
 */

export interface FormField {
  name: string;
  value: string;
  /** `hidden`, `text`, `password`, `submit`…; `button` for a `<button>`. */
  type: string;
}

export interface HtmlForm {
  /** Entity-decoded, as a browser would send it. */
  action: string;
  method: string;
  /** Inputs that are sent as they are (hidden, text, password…): not submit buttons or unchecked boxes. */
  fields: FormField[];
  /** Named submit controls: only the one clicked is sent. */
  submits: FormField[];
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code =
        entity[1] === 'x' || entity[1] === 'X' ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

/** Attributes of one start tag, names lower-cased, values entity-decoded; bare attributes map to ''. */
export function parseAttributes(tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  const body = tag.replace(/^<\s*[a-z0-9-]+/i, '').replace(/\/?>$/, '');
  for (const [, name = '', doubleQuoted, singleQuoted, bare] of body.matchAll(
    /([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g,
  )) {
    attributes[name.toLowerCase()] = decodeEntities(doubleQuoted ?? singleQuoted ?? bare ?? '');
  }
  return attributes;
}

export function parseForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const [whole, inner = ''] of html.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form>/gi)) {
    const attributes = parseAttributes(whole.slice(0, whole.indexOf('>') + 1));
    const fields: FormField[] = [];
    const submits: FormField[] = [];
    for (const [tag, element = ''] of inner.matchAll(/<(input|button)\b[^>]*>/gi)) {
      const controlAttributes = parseAttributes(tag);
      const name = controlAttributes.name;
      if (!name) continue;
      const isButton = element.toLowerCase() === 'button';
      const type = (controlAttributes.type ?? (isButton ? 'submit' : 'text')).toLowerCase();
      const field = { name, value: controlAttributes.value ?? '', type: isButton ? 'button' : type };
      if (type === 'submit' || type === 'image') submits.push(field);
      else if ((type === 'checkbox' || type === 'radio') && !('checked' in controlAttributes)) continue;
      else if (type !== 'button' && type !== 'reset') fields.push(field);
    }
    forms.push({
      action: attributes.action ?? '',
      method: (attributes.method ?? 'get').toLowerCase(),
      fields,
      submits,
    });
  }
  return forms;
}

export const fieldNames = (form: HtmlForm) => [...form.fields, ...form.submits].map((field) => field.name);

const textOf = (html: string) =>
  decodeEntities(html.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();

/**
 * The message a Keycloak page shows: a field error or alert after a failed sign-in, or the text of an
 * error or info page. Both themes mark them with an `input-error…` id, the `kc-feedback-text` class, or
 * `kc-error-message` / `kc-info-message` (login/template.ftl, login.ftl, error.ftl, info.ftl).
 */
export function pageMessage(html: string): string | undefined {
  const patterns = [
    /<[a-z0-9]+\b[^>]*\bid="input-error[^"]*"[^>]*>([\s\S]*?)<\/[a-z0-9]+>/gi,
    /<[a-z0-9]+\b[^>]*\bclass="[^"]*\bkc-feedback-text\b[^"]*"[^>]*>([\s\S]*?)<\/[a-z0-9]+>/gi,
    /<[a-z0-9]+\b[^>]*\bid="kc-(?:error|info)-message"[^>]*>([\s\S]*?)<\/(?:div|p)>/gi,
  ];
  for (const pattern of patterns) {
    for (const [, inner = ''] of html.matchAll(pattern)) {
      const text = textOf(inner);
      if (text) return text;
    }
  }
  return undefined;
}

/** An error page, or a page showing an error alert (`pf-m-danger` in keycloak.v2, `alert-error` in keycloak). */
export function showsError(html: string): boolean {
  return /\bid="kc-error-message"|\bclass="[^"]*\b(?:alert-error|pf-m-danger)\b/i.test(html);
}

/** The page's `<title>` or first heading, to say where an unexpected page came from. */
export function pageHeading(html: string): string | undefined {
  const heading = html.match(/<h1\b[^>]*>([\s\S]*?)<\/h1>/i)?.[1] ?? html.match(/<title>([\s\S]*?)<\/title>/i)?.[1];
  return heading === undefined ? undefined : textOf(heading) || undefined;
}
