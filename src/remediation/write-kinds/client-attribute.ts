import { StepError } from '../ids.ts';
import { failureReason } from '../port.ts';
import { attributeValue, changedSettings, withAttribute } from '../settings-diff.ts';
import { asciiJson, shellQuote } from '../shell.ts';
import type { ClientTarget, PlanStep, WriteOf } from '../types.ts';
import { clientOf, clientWords, type WriteKindSpec } from './kind.ts';

type AttributeWrite = WriteOf<'set-client-attribute'>;

const shown = (value: string | null) => (value === null ? 'absent' : value);

/** One attribute of the client set to `value`; undone by writing back what it held. */
export function setClientAttributeStep(
  client: ClientTarget,
  name: string,
  value: string | null,
  replaces: string | null,
): PlanStep {
  return {
    write: { kind: 'set-client-attribute', client, name, value, replaces },
    undo: { kind: 'set-client-attribute', client, name, value: replaces, replaces: value },
    clientIds: [client.clientId],
  };
}

/**
 * `PUT /clients/{id}` is built from a fresh GET without mappers and secret, changing only the attribute; the
 * client is read again, and when Keycloak (a client-policy executor, a validation) changed anything else as
 * well, the client is written back as it was and the step fails with what changed.
 */
export const setClientAttribute: WriteKindSpec<AttributeWrite> = {
  describe: (write) =>
    write.value === null
      ? `Remove attribute "${write.name}" of ${clientWords(write.client)} (it held ${shown(write.replaces)})`
      : `Set attribute "${write.name}" of ${clientWords(write.client)} to ${write.value}${write.replaces === null ? '' : ` (it held ${write.replaces})`}`,
  rest: (write, paths) => ({
    method: 'PUT',
    path: paths.client(write.client),
    body: {
      '…': 'every field as GET returns it just before, without protocolMappers and secret',
      attributes: { [write.name]: write.value ?? '' },
    },
  }),
  // kcadm.sh update reads the client first and sends it back with the one change; a JSON string keeps the
  // list a string (a bare [..] would be sent as an array, which Keycloak refuses as an attribute).
  kcadm: (write, names) => [
    `kc update "${names.client(write.client)}" -s ${shellQuote(`attributes."${write.name}"=${asciiJson(write.value ?? '')}`)}`,
  ],
  async apply(api, realm, write) {
    const who = clientWords(write.client);
    const before = await api.clientSettings(realm, write.client.id);
    if (!before) throw new StepError(`${who} does not exist (any more)`);
    if (before.access?.configure === false) throw new StepError(`your account may not configure ${who}`);
    const now = attributeValue(before, write.name);
    if (now === write.value) return { outcome: 'already-there', writes: 0 };
    if (now !== write.replaces) {
      throw new StepError(
        `attribute "${write.name}" of ${who} now holds ${shown(now)}, not ${shown(write.replaces)} as when the plan was made; it was left as it is`,
      );
    }
    await api.updateClientSettings(realm, write.client.id, withAttribute(before, write.name, write.value));
    const after = await api.clientSettings(realm, write.client.id);
    if (!after) throw new StepError(`${who} was gone right after the attribute was written`);
    const changed = changedSettings(before, after, write.name);
    if (attributeValue(after, write.name) !== write.value) changed.unshift(`attributes."${write.name}" (not as sent)`);
    if (changed.length === 0) return { outcome: 'written', writes: 1 };

    const what = `Keycloak changed more than attribute "${write.name}" of ${who}: ${changed.join(', ')}`;
    try {
      await api.updateClientSettings(realm, write.client.id, before);
    } catch (error) {
      throw new StepError(`${what}; writing the client back as it was failed (${failureReason(error)}): check it`);
    }
    const restored = await api.clientSettings(realm, write.client.id).catch(() => undefined);
    const left = restored ? changedSettings(before, restored, '') : ['(could not be read again)'];
    throw new StepError(
      left.length === 0
        ? `${what}. The client was written back as it was.`
        : `${what}. It was written back, yet these still differ from before: ${left.join(', ')}`,
    );
  },
  presence(write, { snapshot }) {
    const now = attributeValue(clientOf(snapshot, write.client.id), write.name);
    if (now === write.value) return { state: 'in-place' };
    if (now === write.replaces) return { state: 'absent' };
    return {
      state: 'changed',
      reason: `attribute "${write.name}" of "${write.client.clientId}" now holds ${shown(now)}`,
    };
  },
  simulate(write, draft) {
    const client = draft.client(write.client.id);
    const { [write.name]: _old, ...others } = client.attributes ?? {};
    client.attributes = write.value === null ? others : { ...others, [write.name]: write.value };
  },
  created: () => undefined,
};
