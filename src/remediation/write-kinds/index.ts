import type { Ids } from '../ids.ts';
import type { RemediationApi } from '../port.ts';
import type { Write, WriteKind, WriteOf } from '../types.ts';
import { setClientAttribute } from './client-attribute.ts';
import { createClientMapper, deleteClientMapper, updateClientMapper } from './client-mapper.ts';
import type { WriteKindSpec } from './kind.ts';
import { createScope, deleteScope, updateScopeMapper } from './scope.ts';
import { attachDefaultScope, attachOptionalScope, detachDefaultScope, detachOptionalScope } from './scope-link.ts';

/** Every kind of write and its one home: a missing kind does not compile. */
const WRITE_KINDS: { [K in WriteKind]: WriteKindSpec<WriteOf<K>> } = {
  'create-client-mapper': createClientMapper,
  'delete-client-mapper': deleteClientMapper,
  'update-client-mapper': updateClientMapper,
  'create-scope': createScope,
  'delete-scope': deleteScope,
  'update-scope-mapper': updateScopeMapper,
  'attach-default-scope': attachDefaultScope,
  'detach-default-scope': detachDefaultScope,
  'attach-optional-scope': attachOptionalScope,
  'detach-optional-scope': detachOptionalScope,
  'set-client-attribute': setClientAttribute,
};

/** The spec of this write's kind, typed for the write itself. */
export const kindOf = <W extends Write>(write: W) => WRITE_KINDS[write.kind] as unknown as WriteKindSpec<W>;

/** One sentence for one write. */
export const describeWrite = (write: Write) => kindOf(write).describe(write);

/** Applies one write; a write that creates an object leaves the object's id in `ids` for later steps. */
export const applyWrite = (api: RemediationApi, realm: string, write: Write, ids: Ids) =>
  kindOf(write).apply(api, realm, write, ids);
