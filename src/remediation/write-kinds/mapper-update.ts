import type { ProtocolMapperRep } from '../../audit/snapshot.ts';
import { sameMapper } from '../compare.ts';
import { StepError } from '../ids.ts';
import type { StoredMapperRep } from '../port.ts';
import type { StoredMapper } from '../types.ts';
import type { Applied, Presence } from './kind.ts';

/** A mapper PUT: written only if the mapper is still as the preview saw it; a repeat writes nothing. */
export async function updateMapper(
  current: StoredMapperRep[],
  wanted: StoredMapperRep,
  replaces: StoredMapperRep,
  put: () => Promise<void>,
  where: string,
): Promise<Applied> {
  const now = current.find((mapper) => mapper.id === wanted.id);
  if (!now) throw new StepError(`mapper "${wanted.name}" of ${where} was deleted since the preview`);
  if (sameMapper(now, wanted)) return { outcome: 'already-there', writes: 0 };
  if (!sameMapper(now, replaces)) {
    throw new StepError(`mapper "${wanted.name}" of ${where} was changed since the preview; nothing was overwritten`);
  }
  await put();
  return { outcome: 'written', writes: 1 };
}

export function updatePresence(
  mappers: ProtocolMapperRep[] | undefined,
  mapper: StoredMapper,
  replaces: StoredMapper,
): Presence {
  const now = mappers?.find((item) => item.id === mapper.id);
  if (now && sameMapper(now, mapper)) return { state: 'in-place' };
  if (now && sameMapper(now, replaces)) return { state: 'absent' };
  return { state: 'changed', reason: `mapper "${mapper.name}" was changed or deleted` };
}

export function replaceMapper(mappers: ProtocolMapperRep[], mapper: StoredMapper): void {
  const index = mappers.findIndex((item) => item.id === mapper.id);
  if (index >= 0) mappers[index] = mapper;
}

export const withoutId = ({ id: _id, ...rest }: StoredMapper) => rest;

/** Keycloak answers 500 unless a mapper PUT's body carries the same id as its path. */
export const putBody = (mapper: StoredMapper) => ({ id: mapper.id, ...withoutId(mapper) });
