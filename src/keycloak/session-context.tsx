import { createContext, type ReactNode, useContext } from 'react';
import type { AppConfig } from '../config/config.ts';
import type { AdminClient } from './admin.ts';
import type { Auth } from './auth.ts';

/** Everything a signed-in screen needs from Keycloak. */
export interface Session {
  config: AppConfig;
  auth: Auth;
  admin: AdminClient;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession is used outside SessionProvider');
  return session;
}
