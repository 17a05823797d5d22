import { describe, expect, it } from 'vitest';
import { ListKeptChanging, type PageReader, readAllPages } from './client-pages.ts';
import { adaptivePageSize, type PageSizing } from './page-sizing.ts';

interface Item {
  id: string;
  name: string;
  /** Left out of its page, as Keycloak leaves out a client it cannot represent. */
  broken?: boolean;
}

const items = (count: number, prefix = 'c'): Item[] =>
  Array.from({ length: count }, (_, index) => ({
    id: `id-${prefix}${index}`,
    name: `${prefix}${String(index).padStart(5, '0')}`,
  }));

/**
 * A sorted list paged by offset, like `GET /clients?first=&max=`; `beforeRead` may change it between requests.
 * With 4 workers requests 1 to 4 (pages 0 to 3) go out together; request 5 is the first after a page came back.
 */
function listReader(list: Item[], beforeRead?: (request: number, list: Item[]) => void) {
  let request = 0;
  const read: PageReader<Item> = async (first, max) => {
    request += 1;
    beforeRead?.(request, list);
    list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // Yield, so that concurrent requests interleave as they would over the network.
    await new Promise((resolve) => setTimeout(resolve, 0));
    return list
      .slice(first, first + max)
      .filter((item) => !item.broken)
      .map((item) => ({ ...item }));
  };
  return read;
}

const names = (list: Item[]) => list.map((item) => item.name);
const nameOf = (item: Item) => item.name;

describe('readAllPages', () => {
  for (const count of [0, 1, 9, 10, 11, 19, 100, 1000]) {
    for (const concurrency of [1, 4]) {
      it(`reads ${count} items once each, in order, ${concurrency} at a time`, async () => {
        const list = items(count);
        const read = await readAllPages(listReader(list), { pageSize: 10, concurrency, nameOf });
        expect(names(read.items)).toEqual(names(list));
        expect(read.rereads).toBe(0);
        expect(read.changes).toBeUndefined();
        // Each page brings pageSize - 1 new items; then one empty page, and up to concurrency - 1 in flight past it.
        const pages = count === 0 ? 0 : Math.floor((count - 1) / 9) + 1;
        expect(read.requests).toBeLessThanOrEqual(Math.max(1, pages + concurrency));
        expect(read.requests).toBeGreaterThanOrEqual(pages + 1);
      });
    }
  }

  it('reads a one-page realm in one round trip: the page and the empty pages the other workers asked for', async () => {
    const read = await readAllPages(listReader(items(5)), { pageSize: 10, concurrency: 4 });
    expect(read.requests).toBe(4);
  });

  it('asks for as many pages as it may have in flight at once, before any answer', async () => {
    for (const count of [5, 100]) {
      const list = items(count);
      const plain = listReader(list);
      let inFlight = 0;
      let answered = 0;
      const beforeFirstAnswer: number[] = [];
      const atMost: number[] = [];
      await readAllPages(
        async (first, max) => {
          inFlight += 1;
          if (answered === 0) beforeFirstAnswer.push(inFlight);
          atMost.push(inFlight);
          const page = await plain(first, max);
          inFlight -= 1;
          answered += 1;
          return page;
        },
        { pageSize: 10, concurrency: 4 },
      );
      expect(Math.max(...beforeFirstAnswer)).toBe(4);
      expect(Math.max(...atMost)).toBe(4);
    }
  });

  it('notices a client created before the cursor after the first page and reads it', async () => {
    const list = items(50);
    const read = await readAllPages(
      listReader(list, (request, current) => {
        if (request === 5) current.push({ id: 'id-new', name: 'c00003-new' });
      }),
      { pageSize: 10, concurrency: 4, nameOf },
    );
    expect(names(read.items)).toEqual(names(list));
    expect(read.items.map((item) => item.id)).toContain('id-new');
    expect(read.rereads).toBeGreaterThan(0);
    expect(read.changes?.appeared).toEqual(['c00003-new']);
  });

  it('notices a client deleted before the cursor and does not lose the one that slid back a page', async () => {
    const list = items(50);
    const read = await readAllPages(
      listReader(list, (request, current) => {
        if (request === 5) current.splice(2, 1);
      }),
      { pageSize: 10, concurrency: 4, nameOf },
    );
    expect(names(read.items)).toEqual(names(list));
    expect(read.items).toHaveLength(49);
    expect(read.changes?.disappeared).toEqual(['c00002']);
  });

  it('follows a client renamed from before the cursor to after it, without doubling it', async () => {
    const list = items(50);
    const read = await readAllPages(
      listReader(list, (request, current) => {
        if (request === 5) (current[1] as Item).name = 'c00045-renamed';
      }),
      { pageSize: 10, concurrency: 4, nameOf },
    );
    expect(names(read.items)).toEqual(names(list));
    expect(read.items.filter((item) => item.id === 'id-c1')).toHaveLength(1);
    expect(read.changes?.renamed).toEqual([{ from: 'c00001', to: 'c00045-renamed' }]);
  });

  it('finds a client renamed from after the cursor to before it', async () => {
    const list = items(50);
    const read = await readAllPages(
      listReader(list, (request, current) => {
        if (request === 2) (current[45] as Item).name = 'c00000-renamed';
      }),
      { pageSize: 10, concurrency: 4, nameOf },
    );
    expect(names(read.items)).toEqual(names(list));
    expect(read.items.map((item) => item.id)).toContain('id-c45');
  });

  it('reads on when the list grows past its end while it is read', async () => {
    const list = items(25);
    const read = await readAllPages(
      listReader(list, (request, current) => {
        if (request === 3) current.push(...items(30, 'z'));
      }),
      { pageSize: 10, concurrency: 1, nameOf },
    );
    expect(names(read.items)).toEqual(names(list));
    expect(read.items).toHaveLength(55);
  });

  it('stops at the new end when the tail is deleted while it is read', async () => {
    const list = items(60);
    const read = await readAllPages(
      listReader(list, (request, current) => {
        if (request === 3) current.splice(5, 40);
      }),
      { pageSize: 10, concurrency: 2, nameOf },
    );
    expect(names(read.items)).toEqual(names(list));
    expect(read.items).toHaveLength(20);
  });

  it('accepts a page Keycloak keeps short (a client it cannot represent) and counts what it left out', async () => {
    const list = items(40);
    (list[15] as Item).broken = true;
    (list[18] as Item).broken = true; // offset 18 is the item two pages share
    const read = await readAllPages(listReader(list), { pageSize: 10, concurrency: 4, nameOf });
    expect(names(read.items)).toEqual(names(list.filter((item) => !item.broken)));
    expect(read.omitted).toBeGreaterThanOrEqual(1);
    expect(read.changes).toBeUndefined();
  });

  it('gives up on a list that never stops moving', async () => {
    const list = items(50);
    let counter = 0;
    const reader = listReader(list, (_request, current) => {
      counter += 1;
      current.push({ id: `id-x${counter}`, name: `c00000-${String(counter).padStart(5, '0')}` });
    });
    await expect(readAllPages(reader, { pageSize: 10, concurrency: 2 })).rejects.toBeInstanceOf(ListKeptChanging);
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    const reader = listReader(items(200), (request) => {
      if (request === 3) controller.abort(new Error('cancelled'));
    });
    await expect(readAllPages(reader, { pageSize: 10, concurrency: 2, signal: controller.signal })).rejects.toThrow(
      'cancelled',
    );
  });

  it('reports every page with everything read so far', async () => {
    const seen: number[] = [];
    await readAllPages(listReader(items(30)), {
      pageSize: 10,
      concurrency: 1,
      onPage: ({ items: soFar }) => seen.push(soFar().length),
    });
    expect(seen).toEqual([10, 19, 28, 30, 30]);
  });

  it('refuses a page size that cannot overlap', async () => {
    await expect(readAllPages(listReader(items(3)), { pageSize: 1, concurrency: 1 })).rejects.toThrow(RangeError);
  });
});

/** Pages of the given sizes in turn, as an adaptive sizing may change them in the middle of a read. */
function sizesInTurn(sizes: number[]): PageSizing {
  let asked = 0;
  return {
    next: () => sizes[asked++ % sizes.length] as number,
    record: () => undefined,
    chosen: undefined,
  };
}

describe('readAllPages with pages of changing sizes', () => {
  const turns = [10, 25, 4, 30];
  for (const count of [0, 1, 9, 10, 11, 38, 100, 1000]) {
    for (const concurrency of [1, 4]) {
      it(`reads ${count} items once each, in order, ${concurrency} at a time`, async () => {
        const list = items(count);
        const read = await readAllPages(listReader(list), { pageSize: sizesInTurn(turns), concurrency, nameOf });
        expect(names(read.items)).toEqual(names(list));
        expect(read.rereads).toBe(0);
      });
    }
  }

  const renameSecond = (list: Item[]) => {
    (list[1] as Item).name = 'c00085-renamed';
  };
  const breakOne = (list: Item[]) => {
    (list[34] as Item).broken = true;
  };
  const nothing = () => undefined;
  const changes: [string, (request: number, list: Item[]) => void, (list: Item[]) => void][] = [
    ['a client created before the cursor', (r, l) => r === 5 && l.push({ id: 'id-new', name: 'c00003-new' }), nothing],
    ['a client deleted before the cursor', (r, l) => r === 5 && l.splice(2, 1), nothing],
    ['a client renamed past the cursor', (r, l) => r === 5 && renameSecond(l), nothing],
    ['the tail deleted', (r, l) => r === 3 && l.splice(5, 70), nothing],
    ['the list grown past its end', (r, l) => r === 3 && l.push(...items(40, 'z')), nothing],
    ['a client Keycloak cannot represent', nothing, breakOne],
  ];
  for (const [what, change, prepare] of changes) {
    it(`reads the final list after ${what}`, async () => {
      const list = items(90);
      prepare(list);
      const read = await readAllPages(listReader(list, change), {
        pageSize: sizesInTurn(turns),
        concurrency: 2,
        nameOf,
      });
      expect(names(read.items)).toEqual(names(list.filter((item) => !item.broken)));
    });
  }

  it('settles on the larger pages when they cost less per item, and reads everything once', async () => {
    const list = items(400);
    const plain = listReader(list);
    const sizing = adaptivePageSize(10, 50);
    // 3 ms per item in small pages, 0.4 in large ones: a server whose cost per request is mostly fixed.
    const read = await readAllPages(
      async (first, max) => {
        await new Promise((resolve) => setTimeout(resolve, max === 10 ? 30 : 20));
        return plain(first, max);
      },
      { pageSize: sizing, concurrency: 2, nameOf },
    );
    expect(names(read.items)).toEqual(names(list));
    expect(read.pageSize).toBe(50);
    expect(read.requests).toBeLessThan(400 / 9);
  });

  it('keeps the small pages when a larger one costs more per item', async () => {
    const list = items(200);
    const plain = listReader(list);
    const read = await readAllPages(
      async (first, max) => {
        await new Promise((resolve) => setTimeout(resolve, max === 10 ? 5 : 100));
        return plain(first, max);
      },
      { pageSize: adaptivePageSize(10, 50), concurrency: 2, nameOf },
    );
    expect(names(read.items)).toEqual(names(list));
    expect(read.pageSize).toBe(10);
  });
});
