import { Alert, Badge, Button, Group, List, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { ClientAudit } from '../../audit/findings.ts';
import type { ClientRep, ClientScopeRep } from '../../audit/snapshot.ts';
import { checkPastedToken, type PastedTokenResult, type ScopeAudience } from '../../audit/token-check.ts';

interface Props {
  realm: string;
  audit: ClientAudit;
  client: ClientRep;
  clientScopes: ClientScopeRep[];
}

const dateText = (date: Date) => date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

function Values({ label, values, empty }: { label: string; values: string[]; empty?: string }) {
  return (
    <Group gap={4} aria-label={label}>
      <Text size="sm" fw={600}>
        {label}:
      </Text>
      {values.length === 0 ? (
        <Text size="sm" fs="italic">
          {empty ?? 'none'}
        </Text>
      ) : (
        values.map((value) => (
          <Badge key={value} variant="light" tt="none">
            {value}
          </Badge>
        ))
      )}
    </Group>
  );
}

const fromScopes = (entries: ScopeAudience[]) => entries.map(({ value, scope }) => `${value} (scope "${scope}")`);

function OwnAudience({ result }: { result: PastedTokenResult }) {
  const { clientId, ownInToken } = result;
  if (result.ownAgrees === undefined) {
    return (
      <Alert color="gray" title="No prediction to compare">
        {ownInToken ? `${clientId} is in aud.` : `${clientId} is not in aud.`} The audit cannot tell for this client and
        token: it depends on what the configuration does not show, or on the user's roles.
      </Alert>
    );
  }
  if (result.ownAgrees) {
    return (
      <Alert color="green" title="✔ Matches the prediction">
        {ownInToken
          ? `${clientId} is in aud, as predicted: a resource server that checks aud for ${clientId} accepts it.`
          : `${clientId} is not in aud, as predicted: a resource server that checks aud for ${clientId} rejects it.`}
      </Alert>
    );
  }
  return (
    <Alert color="red" title="✘ Does not match the prediction">
      {ownInToken
        ? `${clientId} is in aud, but the audit predicted it missing.`
        : `${clientId} is not in aud, but the audit predicted it there.`}{' '}
      {result.blindSpots.length > 0
        ? 'A client policy may explain it (see what example tokens cannot show, above).'
        : 'Was the token issued before the configuration changed? Tokens keep their aud until they are refreshed.'}
    </Alert>
  );
}

function Warnings({ result, realm }: { result: PastedTokenResult; realm: string }) {
  return (
    <>
      {result.notAnAccessToken && (
        <Alert color="orange" title="Not an access token">
          Its typ is "{result.type}" (access tokens say "Bearer"). An ID token always has its client in aud; paste the
          access token the resource server receives.
        </Alert>
      )}
      {!result.azpMatches && (
        <Alert color="orange" title="Issued to another client">
          {result.azp === undefined
            ? `The token has no azp, so it cannot be tied to ${result.clientId}.`
            : `azp is "${result.azp}", not "${result.clientId}": this token was issued to ${result.azp}. Open that client to compare it with its prediction.`}
        </Alert>
      )}
      {result.issuerMatches === false && (
        <Alert color="orange" title="From another realm">
          Its issuer is {result.issuer} (realm "{result.issuerRealm}"), but this audit is of realm "{realm}".
        </Alert>
      )}
    </>
  );
}

function Result({ result, realm }: { result: PastedTokenResult; realm: string }) {
  return (
    <Stack gap="xs" role="region" aria-label="Pasted token result">
      <Warnings result={result} realm={realm} />
      <OwnAudience result={result} />
      <Values label="aud" values={result.aud} empty="(no aud claim)" />
      <List size="sm" aria-label="aud compared with the prediction">
        {result.expectedAndPresent.length > 0 && (
          <List.Item>Predicted for every token, and there: {result.expectedAndPresent.join(', ')}</List.Item>
        )}
        {result.expectedButAbsent.length > 0 && (
          <List.Item>Predicted, but absent: {result.expectedButAbsent.join(', ')}</List.Item>
        )}
        {result.conditionalPresent.length > 0 && (
          <List.Item>
            From scopes that apply only sometimes: {fromScopes(result.conditionalPresent).join(', ')}
          </List.Item>
        )}
        {result.possiblyFromRoles.length > 0 && (
          <List.Item>
            Not predicted, but may come from the user's client roles (Audience Resolve):{' '}
            {result.possiblyFromRoles.join(', ')}
          </List.Item>
        )}
        {result.unexpected.length > 0 && (
          <List.Item>Not predicted by this client's settings: {result.unexpected.join(', ')}</List.Item>
        )}
      </List>
      <Text size="sm">
        <b>azp:</b> {result.azp ?? '(none)'}
      </Text>
      <Values label="scope" values={result.scopes} empty="(no scope claim)" />
      {result.requestedOptionalScopes.length > 0 && (
        <Text size="sm">
          Requested optional scopes: {result.requestedOptionalScopes.join(', ')}
          {result.explainedByRequestedScopes.length > 0 &&
            `; they add ${fromScopes(result.explainedByRequestedScopes).join(', ')} to aud`}
          .
        </Text>
      )}
      <Text size="sm">
        <b>Expires:</b>{' '}
        {result.expiresAt === undefined
          ? '(no exp claim)'
          : `${dateText(result.expiresAt)} — ${result.expired ? 'expired' : 'not expired yet'}`}
      </Text>
      <Text size="sm">
        <b>Issuer:</b> {result.issuer ?? '(no iss claim)'}
      </Text>
    </Stack>
  );
}

/**
 * Compares a token an admin pastes (from a proxy's log, say) with the prediction. The text stays in this
 * component's state: it is never sent, stored or put in the URL, and goes when the drawer closes.
 */
export function PastedTokenCheck({ realm, audit, client, clientScopes }: Props) {
  const [text, setText] = useState('');
  const optionalScopes = client.optionalClientScopes ?? [];
  const result = useMemo(() => {
    if (text.trim() === '') return undefined;
    // Keycloak reads a missing "include.in.token.scope" as true (ClientScopeModel.isIncludeInTokenScope).
    const hidden = clientScopes
      .filter((scope) => scope.attributes?.['include.in.token.scope'] === 'false')
      .map((scope) => scope.name);
    return checkPastedToken(audit, text, {
      realm,
      optionalScopes,
      scopesHiddenFromScopeClaim: hidden,
      now: new Date(),
    });
  }, [text, audit, realm, optionalScopes, clientScopes]);

  return (
    <Stack gap="sm" role="region" aria-label="Check a pasted token">
      <Title order={3} size="h5">
        Check a pasted token
      </Title>
      <Text size="sm" c="dimmed">
        Paste an access token from a proxy's or resource server's log (the JWT, or its payload JSON) to compare it with
        the prediction. It is read in your browser only: never sent anywhere or stored. Its signature is not checked.
      </Text>
      <Textarea
        label="Access token to check"
        placeholder="eyJhbGciOi… or {&quot;aud&quot;: …}"
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
        autosize
        minRows={2}
        maxRows={6}
        spellCheck={false}
        autoComplete="off"
        autoCorrect="off"
        autoCapitalize="off"
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
      />
      {text !== '' && (
        <Button variant="subtle" size="xs" w="fit-content" onClick={() => setText('')}>
          Clear pasted token
        </Button>
      )}
      {result && !result.ok && (
        <Alert color="orange" title="Cannot read this token">
          {result.message}
        </Alert>
      )}
      {result?.ok && <Result result={result} realm={realm} />}
    </Stack>
  );
}
