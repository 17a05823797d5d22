import type { ClientSettings } from './port.ts';

/** Not settings: what the admin may do, and what a safe PUT never sends. */
const NOT_SETTINGS = new Set(['access', 'protocolMappers', 'secret', 'attributes']);

/** Keycloak keeps lists such as redirectUris in sets: their order in an answer means nothing. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    return items.every((item) => typeof item !== 'object' || item === null)
      ? [...items].sort((a, b) => String(a).localeCompare(String(b)))
      : items;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, item]) => [key, canonical(item)]),
    );
  }
  return value;
}

const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/**
 * The settings that differ between two reads of one client, the written attribute aside: an update can run
 * client-policy executors that change what it was not asked to change.
 */
export function changedSettings(before: ClientSettings, after: ClientSettings, attribute: string): string[] {
  const changed: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!NOT_SETTINGS.has(key) && !same(before[key], after[key])) changed.push(key);
  }
  const beforeAttributes = before.attributes ?? {};
  const afterAttributes = after.attributes ?? {};
  for (const key of new Set([...Object.keys(beforeAttributes), ...Object.keys(afterAttributes)])) {
    if (key !== attribute && beforeAttributes[key] !== afterAttributes[key]) changed.push(`attributes."${key}"`);
  }
  return changed.sort();
}

/** An attribute's value as read: null when absent (Keycloak removes an attribute set to ""). */
export const attributeValue = (
  settings: { attributes?: Record<string, string> } | undefined,
  name: string,
): string | null => {
  const value = settings?.attributes?.[name];
  return value === undefined || value === '' ? null : value;
};

/** The settings as read, with one attribute changed; null sends "", which Keycloak takes as "remove". */
export function withAttribute(settings: ClientSettings, name: string, value: string | null): ClientSettings {
  return { ...settings, attributes: { ...settings.attributes, [name]: value ?? '' } };
}
