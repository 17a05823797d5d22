import { whyNoTokens } from './client-settings.ts';
import type { AudienceHolder, ClientAudit } from './findings.ts';
import { CALLERS_ATTRIBUTE, type REQUIRES_ATTRIBUTE } from './requirements.ts';
import type { ClientRep } from './snapshot.ts';

/** Why a client is left out of a fix, as a code; each comes with a sentence for the admin. */
export type SkipCode =
  /** Not in the realm (deleted since the audit?). */
  | 'no-such-client'
  /** Its access tokens already carry what the fix would add. */
  | 'already-ok'
  /** It gets no access tokens that a fix could change. */
  | 'not-applicable'
  /** A mapper can rewrite aud in ways the engine cannot see. */
  | 'unpredictable'
  /** It names scopes the admin may not read: one of them may hold the fix already. */
  | 'cannot-judge'
  /** Repair asked for, but it has no broken Audience mapper. */
  | 'nothing-to-repair'
  /** Cross-client: it is the API client itself. */
  | 'is-audience-client'
  /** Cross-client: no API client chosen, or it is not in the realm. */
  | 'no-audience-client'
  /** Cross-client: the custom audience is empty, padded with white space, or the clientId of a client. */
  | 'bad-custom-audience'
  /** Cross-client: the API's audience scope is a default scope already, yet the audience is not in its tokens. */
  | 'scope-linked-without-effect'
  /** Its requirements do not name its own clientId: an own-audience fix would add what nobody asked for. */
  | 'not-required'
  /** Requirements: the attribute already holds exactly this list. */
  | 'requirements-unchanged'
  /** Requirements: the attribute holds something else than a list, and replacing it was not chosen. */
  | 'requirements-unreadable'
  /** Requirements: an audience names no client of the realm and no mapper adds it (a typo, a deleted client?). */
  | 'unknown-audience'
  /** Requirements: a declared caller names no client of the realm. */
  | 'unknown-caller'
  /** The signed-in account may not configure the client. */
  | 'not-configurable';

export interface Skip {
  code: SkipCode;
  reason: string;
}

const skip = (code: SkipCode, reason: string): Skip => ({ code, reason });

export const noSuchClient = (clientId: string) =>
  skip('no-such-client', `There is no client "${clientId}" in the realm (deleted since the audit?).`);

/** Whether the client's tokens must carry its own clientId: the default rule, or its requirements name it. */
export const ownAudienceRequired = (audit: ClientAudit) =>
  audit.requirementSource === 'default' ||
  audit.requirements.some((requirement) => requirement.audience === audit.clientId);

/** Why a client's own audience cannot or need not be fixed, or undefined when it can. */
export function whyNotFixable(audit: ClientAudit | undefined, clientId: string): Skip | undefined {
  if (!audit) return noSuchClient(clientId);
  switch (audit.ownVerdict) {
    case 'ok':
      return skip('already-ok', 'Its access tokens already carry its clientId.');
    case 'not-applicable':
      return skip('not-applicable', audit.reason);
    case 'unpredictable':
      return skip(
        'unpredictable',
        `A mapper can rewrite aud in ways Audience Doctor cannot see, so it is not changed automatically. ${audit.reason}`,
      );
    case 'cannot-judge':
      // A scope we may not read may already hold the fix: a second one would be a double.
      return skip(
        'cannot-judge',
        `It names client scopes your account cannot read, so it is not changed automatically. ${audit.reason}`,
      );
    case 'missing':
    case 'conditional':
      break;
  }
  if (ownAudienceRequired(audit)) return undefined;
  const named = audit.requirements.map((requirement) => requirement.audience).join(', ');
  return skip(
    'not-required',
    `Its requirements ${named ? `name ${named}, not` : 'name nothing, not even'} its own clientId, so its own clientId is not added. To put a required audience into its tokens, choose "Put … into other clients' tokens" for that audience, with this client as a caller.`,
  );
}

export const nothingToRepair = () =>
  skip('nothing-to-repair', 'It has no broken Audience mapper to repair: choose another way to fix it.');

/** Why no caller can get the audience of `audience`, or undefined when it is a client of the realm. */
export function whyNoAudienceClient(audience: string | undefined, exists: boolean): Skip | undefined {
  if (!audience) {
    return skip(
      'no-audience-client',
      'No API client chosen: name the client whose clientId these tokens should carry.',
    );
  }
  return exists
    ? undefined
    : skip('no-audience-client', `There is no API client "${audience}" in the realm (deleted since the audit?).`);
}

/**
 * Why `value` cannot be a custom audience (Included Custom Audience), or undefined when it can: it must say
 * something, exactly (a proxy compares aud character for character), and name no client, whose audience
 * is the API client's (Included Client Audience) instead.
 */
export function whyNoCustomAudience(value: string | undefined, isClient: boolean): Skip | undefined {
  if (!value?.trim()) {
    return skip('bad-custom-audience', 'No custom audience given: name the value these tokens should carry in aud.');
  }
  if (value.trim() !== value) {
    return skip(
      'bad-custom-audience',
      `The custom audience ${JSON.stringify(value)} starts or ends with white space, which no proxy's aud check matches: give it without.`,
    );
  }
  if (isClient) {
    return skip(
      'bad-custom-audience',
      `"${value}" is the clientId of a client of the realm: choose it as the API client, not as a custom audience.`,
    );
  }
  return undefined;
}

/** Why a caller cannot or need not get the API client's audience, or undefined when it can. */
export function whyNotCaller(
  clientId: string,
  found: { audit: ClientAudit; client: ClientRep } | undefined,
  audience: string,
  holders: AudienceHolder[],
): Skip | undefined {
  if (clientId === audience) {
    return skip(
      'is-audience-client',
      `It is the API client "${audience}" itself: to put its own clientId into its tokens, choose another strategy.`,
    );
  }
  if (!found) return noSuchClient(clientId);
  if (found.audit.verdict === 'not-applicable') {
    const why = whyNoTokens(found.client);
    return skip(
      'not-applicable',
      why ? `It gets no access tokens that could carry "${audience}": ${why}.` : found.audit.reason,
    );
  }
  if (holders.some((holder) => holder.clientId === clientId && holder.applies === 'always')) {
    return skip('already-ok', `Its access tokens already carry "${audience}".`);
  }
  return undefined;
}

export const scopeLinkedWithoutEffect = (scopeName: string, audience: string) =>
  skip(
    'scope-linked-without-effect',
    `Client scope "${scopeName}" is one of its default scopes already, yet its tokens do not carry "${audience}".`,
  );

/** Why a requirements write for one client is left out, or undefined when it can be written. */
export function whyNotRequirementsWrite(situation: {
  /** The attribute written: the client's own requirements, or the callers it declares. */
  attribute: typeof REQUIRES_ATTRIBUTE | typeof CALLERS_ATTRIBUTE;
  configurable: boolean;
  unchanged: boolean;
  /** The attribute's text when it is no list and replacing it was not chosen. */
  unreadable: string | undefined;
  /** Names that are no client (callers), or no client and no mapper's custom audience (audiences), when those were not accepted. */
  unknown: string[];
}): Skip | undefined {
  const callers = situation.attribute === CALLERS_ATTRIBUTE;
  if (!situation.configurable) {
    return skip('not-configurable', 'Your account may not configure this client (its access.configure is false).');
  }
  if (situation.unchanged) {
    return skip(
      'requirements-unchanged',
      callers ? 'Its declared callers are already exactly these.' : 'Its requirements already say exactly this.',
    );
  }
  if (situation.unreadable !== undefined) {
    return skip(
      'requirements-unreadable',
      `Its attribute ${situation.attribute} holds ${situation.unreadable}, which is no ${callers ? 'list of callers' : 'requirements list'}; it is not written over unless you choose to replace it.`,
    );
  }
  if (callers && situation.unknown.length > 0) {
    const names = situation.unknown.map((name) => `"${name}"`).join(', ');
    return skip(
      'unknown-caller',
      `${names} ${situation.unknown.length === 1 ? 'names' : 'name'} no client of the realm: a typo, or a deleted client? Nothing is written.`,
    );
  }
  if (situation.unknown.length > 0) {
    const names = situation.unknown.map((name) => `"${name}"`).join(', ');
    return skip(
      'unknown-audience',
      `${names} ${situation.unknown.length === 1 ? 'names' : 'name'} no client of the realm, and no mapper adds ${situation.unknown.length === 1 ? 'it' : 'them'} as a custom audience: a typo, or a deleted client? Nothing is written; accept unknown audiences to write ${situation.unknown.length === 1 ? 'it' : 'them'} all the same.`,
    );
  }
  return undefined;
}
