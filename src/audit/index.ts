export type { AuditOptions } from './audit-realm.ts';
export { auditRealm } from './audit-realm.ts';
export type * from './findings.ts';
export type { RequirementSource } from './requirements.ts';
export { CALLERS_ATTRIBUTE, parseRequirementsFile, REQUIRES_ATTRIBUTE } from './requirements.ts';
export type * from './snapshot.ts';
