import { List, Text } from '@mantine/core';
import type { Applies, AudienceHolder } from '../audit/findings.ts';

export const appliesText: Record<Applies, string> = {
  always: 'always applies',
  optional: 'only when the scope is requested',
  'role-restricted': 'only for users holding one of its roles',
};

/** The clients whose tokens carry an audience, and when. */
export function AudienceHolderList({ holders, empty }: { holders: AudienceHolder[]; empty: string }) {
  if (holders.length === 0) {
    return (
      <Text size="sm" fs="italic">
        {empty}
      </Text>
    );
  }
  return (
    <List size="sm">
      {holders.map((holder) => (
        <List.Item key={`${holder.clientId}-${holder.applies}`}>
          {holder.clientId} ({appliesText[holder.applies]})
        </List.Item>
      ))}
    </List>
  );
}
