import pLimit, { type LimitFunction } from 'p-limit';
import { fixedPageSize, type PageSizing } from './page-sizing.ts';

/**
 * Reading a list that Keycloak pages by offset: `GET /clients?first=&max=` over clients sorted by clientId
 * (JpaRealmProvider.getClientIdsStream orders by clientId), with no count endpoint, and with a client it
 * cannot represent silently left out of its page (ModelToRepresentation.filterValidRepresentations, applied
 * after the database paged). So consecutive pages overlap by one item and the shared item is compared by id:
 * a mismatch means the list moved under the reader (a client created, deleted or renamed before that point)
 * and the pages on both sides are read again; only an empty page ends the list.
 */

export interface Identified {
  id: string;
}

/** One request: `max` items from offset `first`. */
export type PageReader<T> = (first: number, max: number) => Promise<T[]>;

export interface PagedReadOptions<T> {
  /**
   * Items per request, or how to choose them as the read goes; consecutive requests overlap by one, so each
   * brings its size - 1 new ones.
   */
  pageSize: number | PageSizing;
  /** Requests in flight at once (ignored when `limit` is given). */
  concurrency: number;
  /** A limiter shared with other reads of the same snapshot, so that the whole read keeps to one budget. */
  limit?: LimitFunction;
  signal?: AbortSignal;
  /**
   * Called after every page that arrived. `items()` lists every item read so far (the latest copy of each),
   * when asked: a copy of the whole list, which a caller that updates less often than pages arrive need not pay.
   */
  onPage?: (progress: { items: () => T[]; pagesRead: number }) => void;
  /** How an item is named in the list of changes seen during the read. */
  nameOf?: (item: T) => string;
}

export interface ChangesDuringRead {
  /** Items first seen in a re-read: created while the list was read (or moved there by a rename). */
  appeared: string[];
  /** Items seen in one read and gone from the final list: deleted while it was read (or moved away). */
  disappeared: string[];
  /** Items read under two names. */
  renamed: { from: string; to: string }[];
}

export interface PagedRead<T> {
  items: T[];
  /** Requests made, re-reads included. */
  requests: number;
  /** Pages read again because their boundary did not match. */
  rereads: number;
  /** Items Keycloak left out of otherwise stable pages (clients it could not represent). */
  omitted: number;
  /** The page size the read settled on; undefined when it ended before an adaptive sizing chose. */
  pageSize: number | undefined;
  /** Undefined when nothing moved while the list was read. */
  changes: ChangesDuringRead | undefined;
}

/** Re-reads allowed per page of the list before the reader gives up on a list that keeps moving. */
const REREADS_PER_PAGE = 3;

export class ListKeptChanging extends Error {
  constructor(rereads: number) {
    super(`The realm's clients kept changing while they were read (${rereads} pages read again); try again.`);
    this.name = 'ListKeptChanging';
  }
}

const sameIds = <T extends Identified>(a: T[], b: T[]) =>
  a.length === b.length && a.every((item, index) => item.id === b[index]?.id);

/** Reads the whole list; the result holds each item once, in Keycloak's order. */
export async function readAllPages<T extends Identified>(
  readPage: PageReader<T>,
  options: PagedReadOptions<T>,
): Promise<PagedRead<T>> {
  const { signal } = options;
  const sizing = typeof options.pageSize === 'number' ? fixedPageSize(options.pageSize) : options.pageSize;
  const limit = options.limit ?? pLimit(Math.max(1, options.concurrency));
  const nameOf = options.nameOf ?? ((item: T) => item.id);

  let requests = 0;
  let pagesRead = 0;
  const firstSeen = new Map<string, T>();
  const latest = new Map<string, T>();
  // Where each page starts and how many it asks for: a page starts on the last item of the one before.
  const spans: { first: number; max: number }[] = [];
  const spanOf = (index: number) => {
    for (let at = spans.length; at <= index; at += 1) {
      const before = spans[at - 1];
      spans.push({ first: before ? before.first + before.max - 1 : 0, max: sizing.next() });
    }
    return spans[index] as { first: number; max: number };
  };
  const fetchPage = (index: number) =>
    limit(async () => {
      signal?.throwIfAborted();
      requests += 1;
      const { first, max } = spanOf(index);
      const started = performance.now();
      const page = await readPage(first, max);
      sizing.record(max, page.length, performance.now() - started);
      signal?.throwIfAborted();
      for (const item of page) {
        if (!firstSeen.has(item.id)) firstSeen.set(item.id, item);
        latest.set(item.id, item);
      }
      pagesRead += 1;
      options.onPage?.({ items: () => [...latest.values()], pagesRead });
      return page;
    });

  // First pass, in offset order, until a page comes back empty. Every worker starts at once: waiting for
  // page 0 before the others join cost a round trip at half the concurrency (about 0.3 s of a 2.5 s read
  // at 5,000 clients), while a realm of one page pays only the empty pages after it.
  const pages: T[][] = [];
  let next = 0;
  let stop = Number.POSITIVE_INFINITY;
  const worker = async () => {
    while (next < stop) {
      const index = next;
      next += 1;
      const page = await fetchPage(index);
      pages[index] = page;
      if (page.length === 0) stop = Math.min(stop, index + 1);
      // A short page 0 is most likely the whole list: page 1, in flight already, tells.
      if (index === 0 && page.length < spanOf(0).max) stop = Math.min(stop, 2);
    }
  };
  const workers = options.limit ? Math.max(1, options.concurrency) : limit.concurrency;
  await Promise.all(Array.from({ length: workers }, worker));
  // Later pages were in flight when the end was found: they say nothing.
  pages.length = Math.min(pages.length, stop);
  const firstPass = new Set(pages.flat().map((item) => item.id));

  // Repair: walk the boundaries; a page whose shared item does not match is read again with its neighbour.
  let rereads = 0;
  let omitted = 0;
  const budget = REREADS_PER_PAGE * pages.length + 10;
  const stableGaps = new Set<number>();
  let boundary = 0;
  for (;;) {
    if (boundary >= pages.length - 1) {
      // The list may have grown past the last page read: read on to an empty page.
      if ((pages.at(-1)?.length ?? 0) === 0) break;
      pages.push(await fetchPage(pages.length));
      continue;
    }
    const here = pages[boundary] as T[];
    const after = pages[boundary + 1] as T[];
    const { max } = spanOf(boundary);
    const full = here.length === max;
    const joined = full ? after[0]?.id === here[max - 1]?.id : after.length === 0;
    if (joined || stableGaps.has(boundary)) {
      boundary += 1;
      continue;
    }
    if (rereads >= budget) throw new ListKeptChanging(rereads);
    rereads += 2;
    const [hereAgain, afterAgain] = await Promise.all([fetchPage(boundary), fetchPage(boundary + 1)]);
    if (sameIds(here, hereAgain) && sameIds(after, afterAgain)) {
      // Nothing moved between the two reads: Keycloak leaves clients out here (it could not represent them).
      stableGaps.add(boundary);
      omitted += Math.max(1, max - here.length);
      boundary += 1;
      continue;
    }
    pages[boundary] = hereAgain;
    pages[boundary + 1] = afterAgain;
    // The list got shorter: this is its end now.
    if (afterAgain.length === 0) pages.length = boundary + 2;
    // The page before may not join the re-read one any more.
    boundary = Math.max(0, boundary - 1);
  }

  const items = new Map<string, T>();
  for (const page of pages) for (const item of page) items.set(item.id, latest.get(item.id) ?? item);
  const result = [...items.values()];
  const changes = rereads > 0 ? changesOf() : undefined;
  return { items: result, requests, rereads, omitted, pageSize: sizing.chosen, changes };

  function changesOf(): ChangesDuringRead | undefined {
    const appeared = result.filter((item) => !firstPass.has(item.id)).map(nameOf);
    const disappeared = [...firstSeen.values()].filter((item) => !items.has(item.id)).map(nameOf);
    const renamed = result.flatMap((item) => {
      const before = firstSeen.get(item.id);
      return before && nameOf(before) !== nameOf(item) ? [{ from: nameOf(before), to: nameOf(item) }] : [];
    });
    return appeared.length + disappeared.length + renamed.length > 0 ? { appeared, disappeared, renamed } : undefined;
  }
}
