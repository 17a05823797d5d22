export { auditRealm } from './audit-realm.ts';
export type * from './findings.ts';
export type * from './snapshot.ts';
