import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a predicate sees of one request: its method and its URL (relative to the proxy, query included). */
export interface ProxiedRequest {
  method: string;
  url: URL;
}

/** One request that went through the proxy, with Keycloak's status (undefined while it is held or in flight). */
export interface ForwardedRequest extends ProxiedRequest {
  status: number | undefined;
  held: boolean;
}

export interface HoldingProxy {
  /** Where to send requests instead of Keycloak: `http://localhost:<port>`. */
  url: string;
  /** Requests held now, waiting for `release`. */
  held(): number;
  /** Resolves once at least `count` requests are held; rejects after `timeoutMs`. */
  waitForHeld(count: number, timeoutMs?: number): Promise<void>;
  /** Lets every held request through and holds nothing from then on. */
  release(): void;
  /** Every request seen so far, in arrival order. */
  requests(): ForwardedRequest[];
  /** Releases what is held and stops listening; open connections are closed. */
  close(): Promise<void>;
}

export interface HoldingProxyOptions {
  /** Requests for which this answers true wait until `release`; none are held without it. */
  hold?: (request: ProxiedRequest) => boolean;
}

/** Hop-by-hop headers (RFC 9110 section 7.6.1) are the proxy's own; everything else passes unchanged. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
]);

function endToEnd(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  const kept: IncomingMessage['headers'] = {};
  for (const [name, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(name)) kept[name] = value;
  return kept;
}

/**
 * A loopback HTTP proxy in front of Keycloak that forwards every request as it came: method, path and query,
 * headers (Host and Origin included, so Keycloak builds its URLs and CORS answers for the proxy's address),
 * and bodies streamed both ways. Requests matching `hold` are kept, unanswered and unforwarded, until `release`,
 * so that a test can change the realm while a reader waits on them.
 */
export async function startHoldingProxy(target: string, options: HoldingProxyOptions = {}): Promise<HoldingProxy> {
  const upstream = new URL(target);
  const seen: ForwardedRequest[] = [];
  let waiting: (() => void)[] = [];
  let holding = options.hold !== undefined;
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of [...waiters]) waiter();
  };

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse, record: ForwardedRequest) => {
    const proxied = httpRequest(
      {
        protocol: upstream.protocol,
        hostname: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: endToEnd(incoming.headers),
      },
      (answer) => {
        record.status = answer.statusCode;
        outgoing.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
        answer.pipe(outgoing);
        answer.on('error', () => outgoing.destroy());
      },
    );
    proxied.on('error', (error) => {
      if (outgoing.headersSent) {
        outgoing.destroy();
        return;
      }
      record.status = 502;
      outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end(`holding proxy: ${error.message}`);
    });
    // A caller that gives up ends the request it made upstream too.
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) proxied.destroy();
    });
    incoming.pipe(proxied);
  };

  const server = createServer((incoming, outgoing) => {
    const method = incoming.method ?? 'GET';
    const url = new URL(incoming.url ?? '/', 'http://proxy.invalid');
    const held = holding && (options.hold?.({ method, url }) ?? false);
    const record: ForwardedRequest = { method, url, status: undefined, held };
    seen.push(record);
    if (!held) {
      forward(incoming, outgoing, record);
      return;
    }
    // The body stays unread in the socket meanwhile: it streams on once the request is forwarded.
    const go = () => forward(incoming, outgoing, record);
    waiting.push(go);
    outgoing.on('close', () => {
      waiting = waiting.filter((other) => other !== go);
    });
    notify();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const release = () => {
    holding = false;
    const go = waiting;
    waiting = [];
    for (const forwardNow of go) forwardNow();
  };

  return {
    // Keycloak 26.5+ treats only the name localhost as loopback (redirect URIs, secure contexts).
    url: `http://localhost:${port}`,
    held: () => waiting.length,
    waitForHeld: (count, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (waiting.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`holding proxy: ${waiting.length} of ${count} requests held after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    release,
    requests: () => [...seen],
    close: async () => {
      release();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
