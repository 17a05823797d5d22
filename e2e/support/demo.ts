import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../keycloak/settings.ts';

interface FixtureUser {
  username: string;
  firstName?: string;
  lastName?: string;
  credentials?: { value: string }[];
}

export interface DemoUser {
  username: string;
  password: string;
  displayName: string;
}

const readFixture = (file: string) => JSON.parse(readFileSync(join(repoRoot, 'e2e', 'fixtures', file), 'utf8'));

/** Users and passwords come from the realm fixtures, so the specs never repeat them. */
export function demoUser(username: string, fixture = 'demo-realm.json'): DemoUser {
  const users: FixtureUser[] = readFixture(fixture).users;
  const user = users.find((candidate) => candidate.username === username);
  const password = user?.credentials?.[0]?.value;
  if (!user || !password) throw new Error(`${fixture} has no user ${username} with a password`);
  return { username, password, displayName: `${user.firstName} ${user.lastName}` };
}

export function demoClientIds(): string[] {
  return (readFixture('demo-realm.json').clients as { clientId: string }[]).map((client) => client.clientId);
}
