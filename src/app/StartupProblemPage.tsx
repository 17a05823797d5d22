import { Code, Container, List, Stack, Text, Title } from '@mantine/core';
import type { StartupProblem } from './startup-problems.ts';

export function StartupProblemPage({ problem }: { problem: StartupProblem }) {
  return (
    <Container size="sm" py="xl">
      <Stack gap="md" role="alert">
        <Text c="dimmed" size="sm">
          Audience Doctor cannot start
        </Text>
        <Title order={1}>{problem.title}</Title>
        <Text>{problem.explanation}</Text>
        {problem.details.length > 0 && (
          <List>
            {problem.details.map((detail) => (
              <List.Item key={detail}>
                <Code>{detail}</Code>
              </List.Item>
            ))}
          </List>
        )}
        <Title order={2} size="h4">
          What to do
        </Title>
        <List>
          {problem.fixes.map((fix) => (
            <List.Item key={fix}>{fix}</List.Item>
          ))}
        </List>
        {problem.example && <Code block>{problem.example}</Code>}
      </Stack>
    </Container>
  );
}
