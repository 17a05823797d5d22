import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import type { ClientSettings } from '../remediation/port.ts';

/**
 * The client without what a PUT must not carry back: its mappers (a body with them replaces them all) and its
 * secret (never kept; Keycloak keeps the current one when the body has none, RepresentationToModel.determineNewSecret).
 */
export function clientSettingsOf(client: ClientRepresentation): ClientSettings {
  const { protocolMappers: _mappers, secret: _secret, ...settings } = client;
  return { ...settings, clientId: client.clientId ?? '' } as ClientSettings;
}

/** The PUT body: every setting as read (authorizationServicesEnabled included, else Keycloak drops the resource server). */
export function settingsBody(settings: ClientSettings): ClientRepresentation {
  const { access: _access, ...body } = settings;
  return body as ClientRepresentation;
}
