import { Container } from '@mantine/core';
import { useRouteError } from 'react-router';
import { ErrorPanel } from '../components/ErrorPanel.tsx';

/** Last line of defence: an unexpected error shows a message, never a blank page. */
export function RouteError() {
  const error = useRouteError();
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Container size="md" py="xl">
      <ErrorPanel title="Something went wrong" fixes={['Reload the page. If it happens again, please report it.']}>
        {message}
      </ErrorPanel>
    </Container>
  );
}
