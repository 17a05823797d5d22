import type { RealmReport } from '../report/report.ts';
import { findingsOf } from './findings.ts';
import { SARIF_RULES } from './sarif-rules.ts';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifTool {
  name: string;
  version: string;
}

/**
 * Where a finding is: a Keycloak client has no file, so code-scanning tools get a stable relative path
 * standing for it, plus a logical location with the realm and clientId.
 */
export function clientArtifactUri(realm: string, clientId: string): string {
  return `keycloak/realms/${encodeURIComponent(realm)}/clients/${encodeURIComponent(clientId)}`;
}

/** Where a realm-level finding is: the realm's own stable path. */
export function realmArtifactUri(realm: string): string {
  return `keycloak/realms/${encodeURIComponent(realm)}`;
}

/** SARIF 2.1.0: one run, every rule of the tool, one result per finding. */
export function formatSarif(reports: RealmReport[], tool: SarifTool): string {
  const ruleIndex = new Map(SARIF_RULES.map(([id], index) => [id, index]));
  const realmResults = reports.flatMap((report) =>
    report.cannotJudge
      ? [
          {
            ruleId: 'realm/cannot-judge',
            ruleIndex: ruleIndex.get('realm/cannot-judge'),
            level: 'error',
            message: { text: `Realm ${report.realm}: ${report.cannotJudge}` },
            locations: [
              {
                physicalLocation: { artifactLocation: { uri: realmArtifactUri(report.realm) } },
                logicalLocations: [{ name: report.realm, fullyQualifiedName: report.realm, kind: 'namespace' }],
              },
            ],
            partialFingerprints: { 'audienceDoctorFinding/v1': [report.realm, 'realm/cannot-judge'].join('|') },
            properties: { realm: report.realm },
          },
        ]
      : [],
  );
  const clientResults = reports.flatMap((report) =>
    report.clients.flatMap((client) =>
      findingsOf(client).map((finding) => {
        const where = [finding.problem?.container?.name, finding.problem?.mapper?.name].filter(Boolean).join('/');
        return {
          ruleId: finding.ruleId,
          ruleIndex: ruleIndex.get(finding.ruleId),
          level: finding.level,
          message: { text: `${client.clientId} (realm ${report.realm}): ${finding.message}` },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: clientArtifactUri(report.realm, client.clientId) } },
              logicalLocations: [
                { name: client.clientId, fullyQualifiedName: `${report.realm}/${client.clientId}`, kind: 'resource' },
              ],
            },
          ],
          // Stable across runs, so that a tool can tell a new finding from one it has seen.
          partialFingerprints: {
            'audienceDoctorFinding/v1': [report.realm, client.clientId, finding.ruleId, where].join('|'),
          },
          properties: { realm: report.realm, clientId: client.clientId, id: client.id, verdict: client.verdict },
        };
      }),
    ),
  );
  const results = [...realmResults, ...clientResults];
  const realms = reports.map((report) => report.realm);
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            rules: SARIF_RULES.map(([id, text]) => ({
              id,
              name: text.name,
              shortDescription: { text: text.short },
              fullDescription: { text: text.full },
              help: { text: text.full },
              defaultConfiguration: { level: text.level },
              properties: { tags: ['keycloak', 'oidc', 'audience'] },
            })),
          },
        },
        automationDetails: { id: `${tool.name}/${realms.join('+')}/` },
        results,
        properties: {
          realms,
          keycloakVersion: reports.find((report) => report.keycloakVersion)?.keycloakVersion ?? null,
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
