/**
 * How many items each page of a paged read asks for. Keycloak's cost per client depends on the page size in
 * opposite ways on two servers: when the realm's clients do not fit its realms cache, a request's cost grows
 * faster than its page (pages of 100 win by 1.5-2 ×); when they fit, each request has a fixed cost and pages
 * of 500 win by 15-30 % (scripts/bench-paging.ts; the README's Benchmarks). Keycloak cannot be asked which case
 * it is in; the adaptive sizing (clientsPageSize "adaptive") times one larger page against the small ones and keeps
 * the cheaper size. It is not the default: where small pages win, its one large page cost more (0.5-0.9 s at 5,000
 * clients) than it saved where large pages win (0.2-0.8 s).
 * Keycloak serves any size asked: ClientsResource.getClientModels hands `first` and `max` to
 * RealmModel.getClientsStream unchanged (26.7.5, read with javap).
 */
export interface PageSizing {
  /** The size of the next page to ask for. */
  next(): number;
  /** A page that asked for `size` items brought `items` of them in `ms` (the request alone, not its queue). */
  record(size: number, items: number, ms: number): void;
  /** The size the next pages will have, or undefined while a trial is still out. */
  readonly chosen: number | undefined;
}

function checkSize(size: number): void {
  if (!Number.isInteger(size) || size < 2) throw new RangeError('a page size must be an integer of at least 2');
}

export function fixedPageSize(size: number): PageSizing {
  checkSize(size);
  return { next: () => size, record: () => undefined, chosen: size };
}

/**
 * The larger page must cost at most this share of the small pages' time per item to be kept: a margin for the
 * noise of one timed request. At 5,000 clients the trial page's time per client was 0.2-0.7 × the small pages'
 * where the realm fits the cache, and the sizing chose 500 in all 12 reads; with Keycloak's default cache it
 * chose 100 in all 7.
 */
export const LARGER_PAGE_KEPT_BELOW = 0.85;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/**
 * Small pages first (the first rows come soonest, and a realm of one page never pays for a large one), then,
 * once a small page has been timed, one page of `large`: if its time per item is below LARGER_PAGE_KEPT_BELOW
 * of the small pages' median, the rest of the read asks for `large`, else for `small`. Pages read concurrently
 * share the server alike, so their times per item compare. A page that came back short (the end of the list)
 * tells nothing of the cost per item and is left out; a short trial settles on `small`.
 */
export function adaptivePageSize(small: number, large: number): PageSizing {
  checkSize(small);
  checkSize(large);
  if (large <= small) throw new RangeError('the larger page size must be larger than the small one');
  const smallCosts: number[] = [];
  let trialAsked = false;
  let chosen: number | undefined;
  return {
    next() {
      if (chosen !== undefined) return chosen;
      if (!trialAsked && smallCosts.length > 0) {
        trialAsked = true;
        return large;
      }
      return small;
    },
    record(size, items, ms) {
      if (chosen !== undefined) return;
      if (size === large && trialAsked) {
        const smallCost = median(smallCosts);
        chosen = items === size && ms / items < LARGER_PAGE_KEPT_BELOW * smallCost ? large : small;
        return;
      }
      if (size === small && items === size) smallCosts.push(ms / items);
    },
    get chosen() {
      return chosen;
    },
  };
}
