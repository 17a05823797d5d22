import { describe, expect, it } from 'vitest';
import { ApiError } from '../keycloak/errors.ts';
import { CliFailure, describeFailure, keycloakReason, signInFailure } from './failure.ts';

const URL = 'http://localhost:8080';

const httpError = (status: number, responseData: unknown) =>
  Object.assign(new Error('x'), { response: { status }, responseData });

const refused = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });

describe('signInFailure', () => {
  it.each([
    [
      httpError(400, { error: 'invalid_grant', error_description: 'Invalid user credentials' }),
      'cannot sign in to realm master at http://localhost:8080: invalid_grant (Invalid user credentials)',
    ],
    [
      httpError(401, { error: 'invalid_client', error_description: 'Invalid client or Invalid client credentials' }),
      'cannot sign in to realm master at http://localhost:8080: invalid_client (Invalid client or Invalid client credentials)',
    ],
    [
      httpError(404, { error: 'Realm does not exist' }),
      'cannot sign in to realm master at http://localhost:8080: Realm does not exist',
    ],
    // Keycloak 24 and 25 add a description that says only to read the server log.
    [
      httpError(404, {
        error: 'Realm does not exist',
        error_description: 'For more on this error consult the server log.',
      }),
      'cannot sign in to realm master at http://localhost:8080: Realm does not exist',
    ],
    [httpError(404, '<html>Not found</html>'), 'no token endpoint there (HTTP 404); is --url the Keycloak base URL'],
    [httpError(502, ''), 'cannot sign in to realm master at http://localhost:8080: HTTP 502'],
    [refused(), 'cannot reach Keycloak at http://localhost:8080: ECONNREFUSED'],
    [new SyntaxError('Unexpected token <'), 'the answer was not JSON; is --url the Keycloak base URL?'],
  ])('explains %o', (error, message) => {
    const failure = signInFailure(error, URL, 'master');
    expect(failure).toBeInstanceOf(CliFailure);
    expect(failure.message).toContain(message);
    expect(failure.message).not.toContain('\n');
  });
});

describe('keycloakReason', () => {
  it('prefers error with its description, then errorMessage, and keeps one short line of text', () => {
    expect(keycloakReason({ errorMessage: 'Client not found' })).toBe('Client not found');
    expect(keycloakReason({ error: 'unauthorized_client' })).toBe('unauthorized_client');
    expect(keycloakReason(`first line\nsecond line${'x'.repeat(300)}`)).toBe('first line');
    expect(keycloakReason(undefined)).toBeUndefined();
  });
});

describe('describeFailure', () => {
  it('keeps the message of our failures and of typed admin-API errors', () => {
    expect(describeFailure(new CliFailure('cannot audit realm x: y'), URL)).toBe('cannot audit realm x: y');
    expect(describeFailure(new ApiError('forbidden', 'You need view-clients'), URL)).toBe('You need view-clients');
  });

  it('says which server could not be reached, instead of a browser hint', () => {
    expect(describeFailure(new ApiError('network', 'check the Web origins'), URL)).toBe(
      'cannot reach Keycloak at http://localhost:8080',
    );
    expect(describeFailure(refused(), URL)).toBe('cannot reach Keycloak at http://localhost:8080: ECONNREFUSED');
  });

  it('never prints more than one line', () => {
    expect(describeFailure(new Error('first\nsecond'), URL)).toBe('first');
  });
});
