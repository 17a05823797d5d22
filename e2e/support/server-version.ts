import { masterAdmin } from './admin-api.ts';

let cached: Promise<string> | undefined;

/** The version of the Keycloak the specs run against, as its server info reports it to the master admin. */
export function serverVersion(): Promise<string> {
  cached ??= masterAdmin().then(async (admin) => {
    const version = (await admin.serverInfo.find()).systemInfo?.version;
    if (!version) throw new Error('the server info of the running Keycloak names no version');
    return version;
  });
  return cached;
}

/** A RegExp that matches the running server's version exactly, dots included. */
export async function serverVersionPattern(): Promise<string> {
  return (await serverVersion()).replace(/\./g, '\\.');
}
